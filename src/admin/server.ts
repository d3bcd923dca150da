// The admin UI server: its JSON API under /api (sessions, CSRF, same-origin checks) and the built
// client for every other path, on admin-ui-port. startAdminUi() is called by http/main.ts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config/config.js';
import type { Db } from '../db/types.js';
import { PgliteDb } from '../db/pglite.js';
import type { Logger } from '../observability/logger.js';
import type { AdminDb } from './db/admin-db.js';
import { PgliteAdminDb } from './db/pglite-admin.js';
import { PgAdminDb } from './db/pg-admin.js';
import { viewerDbFor } from './viewer/start.js';
import { AdminStore } from './store.js';
import { passwordCheck } from './auth/password.js';
import { guard } from './auth/guard.js';
import { tokenSignIn } from './auth/jwt-sign-in.js';
import { Accounts } from './users/accounts.js';
import { Invites } from './users/invites.js';
import { bootstrapOwner, openAccounts, resetOwnerPassword } from './users/bootstrap.js';
import { AuditLog } from './audit/audit-log.js';
import { accountAction, type AccountReply, type AccountRequest } from './users/account-actions.js';
import { userRoutes } from './routes/users.js';
import { auditRoutes } from './routes/audit.js';
import { backupRoutes } from './routes/backups.js';
import { csrfMatches, LoginLimiter, Sessions, StoredLoginGate } from './auth/sessions.js';
import { cookieValue, sameOrigin } from './auth/proxy.js';
import { AdminError } from './errors.js';
import { errorReply, parseJson, publicMaxBody, send, type Route } from './http-kit.js';
import type { AdminDeps } from './deps.js';
import { staticFiles, defaultClientDir } from './static.js';
import { cookieName, sessionRoutes } from './routes/session.js';
import { catalogRoutes } from './routes/catalog.js';
import { dataRoutes } from './routes/data.js';
import { sqlRoutes } from './routes/sql.js';
import { securityRoutes } from './routes/security.js';
import { activityRoutes } from './routes/activity.js';
import { designerRoutes } from './routes/designer.js';
import { erRoutes } from './routes/er.js';

export interface AdminUiOptions {
  readonly config: Config;
  readonly db: Db;
  readonly apiUrl: string;
  readonly logger: Logger;
  readonly reloadSchema: () => Promise<void>;
  /** Overrides admin-ui-port (tests pass 0 for a free port). */
  readonly port?: number;
  readonly host?: string;
  readonly clientDir?: string;
}

export interface AdminUi {
  readonly url: string;
  /** The password generated at this start (no admin-password and none stored), else null. */
  readonly generatedPassword: string | null;
  /** Stores the generated password (hashed): call it once the password has been shown. */
  keepGeneratedPassword(): Promise<void>;
  close(): Promise<void>;
}

type AdminDbSource = { readonly config: Config; readonly db: Db | null; readonly logger: Logger };

function adminDb(o: AdminDbSource): AdminDb {
  if (o.db instanceof PgliteDb) return new PgliteAdminDb(o.db);
  const uri = o.config.adminDbUri ?? o.config.dbListenUri ?? o.config.dbUri;
  if (!uri) throw new Error('admin UI: no database URI');
  return new PgAdminDb({ uri, onError: (message) => o.logger.warn({ event: 'admin-db-error', message }, 'admin UI connection error') });
}

/**
 * Runs `fn` with the admin accounts of the database (the admin's own connection; `db` is the
 * embedded database), for the CLI: `pesquel admin reset-password`, `add-user`, `list-users`, ….
 */
export async function withAccounts<T>(o: AdminDbSource, fn: (accounts: Accounts) => Promise<T>): Promise<T> {
  const adb = adminDb(o);
  try {
    const store = new AdminStore(adb);
    const problem = await store.setup();
    if (problem) throw new Error(problem);
    const accounts = new Accounts(adb);
    await accounts.setup();
    // A database still on the single password gets its owner account first (as a start would).
    await bootstrapOwner(o.config.adminPassword, store, accounts);
    return await fn(accounts);
  } finally {
    await adb.close();
  }
}

/**
 * `pesquel admin reset-password`: stores a new generated password for the owner account `admin`
 * (its hash) and returns it to be shown once.
 */
export const resetAdminPassword = (o: AdminDbSource): Promise<string> => withAccounts(o, resetOwnerPassword);

/** `pesquel admin add-user | list-users | remove-user | set-role` (see users/account-actions.ts). */
export const adminAccounts = (o: AdminDbSource, req: AccountRequest): Promise<AccountReply> =>
  withAccounts(o, (accounts) => accountAction(accounts, req, o.config.authPasswordMinLength));

/**
 * The request's URL. Only origin-form targets (`/path?query`) are served; the target is appended
 * to a fixed origin, never resolved against it, so `//`, `/\\` or `//[` stay paths on this server.
 */
export function requestUrl(target: string | undefined): URL {
  const t = target ?? '/';
  if (!t.startsWith('/')) throw new AdminError(400, 'bad-url', 'the request target must be a path');
  try {
    return new URL(`http://admin.invalid${t}`);
  } catch {
    throw new AdminError(400, 'bad-url', 'malformed request target');
  }
}

export function createHandler(deps: AdminDeps, routes: readonly Route[], files: ReturnType<typeof staticFiles>) {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    let path = '?';
    try {
      // Everything, URL parsing included, runs inside this one boundary: a hostile request line
      // gets a 400, never an unhandled rejection that ends the process.
      const url = requestUrl(req.url);
      path = url.pathname;
      if (!url.pathname.startsWith('/api/')) {
        if (method !== 'GET' && method !== 'HEAD') throw new AdminError(405, 'method', 'method not allowed');
        return send(res, await files(url.pathname));
      }
      const route = routes.find((r) => r.path === url.pathname && r.method === method);
      if (!route) throw new AdminError(404, 'no-route', `no ${method} ${url.pathname}`);
      const session = deps.sessions.get(cookieValue(req, cookieName));
      if (method !== 'GET') {
        if (!sameOrigin(req)) throw new AdminError(403, 'cross-origin', 'request from another origin refused');
        if (!route.public && (!session || !csrfMatches(session, req.headers['x-csrf-token'] as string | undefined))) {
          throw new AdminError(session ? 403 : 401, session ? 'csrf' : 'signed-out', session ? 'missing or wrong CSRF token: reload the page' : 'sign in first');
        }
      }
      if (!route.public && !session) throw new AdminError(401, 'signed-out', 'sign in first');
      // The one role check for every route, the other helpers' included: a route's `role` (default
      // viewer for GET, editor otherwise), or requireRole() from auth/roles.ts inside its handler.
      if (!route.public && session) await guard(deps, session, route);
      send(res, await route.handler({ req, url, session, json: () => parseJson(req, route.public ? publicMaxBody : undefined) }));
    } catch (err) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      // A body left unread (refused before or while reading it) is not read to its end: the
      // connection closes after the answer.
      if (!req.complete) res.setHeader('Connection', 'close');
      send(res, errorReply(err, (e) => deps.logger.error({ err: e, method, path }, 'admin UI: unexpected error')));
    }
  };
  return (req: IncomingMessage, res: ServerResponse): void => {
    // The last resort (writing the error reply itself failed): drop the connection, keep the process.
    handle(req, res).catch((err: unknown) => {
      deps.logger.error({ err, method: req.method }, 'admin UI: could not answer');
      res.destroy();
    });
  };
}

/** Every route of the admin API (test/admin/users.test.ts checks each mutating one refuses a viewer). */
export function adminRoutes(deps: AdminDeps): Route[] {
  return [...sessionRoutes(deps), ...catalogRoutes(deps), ...dataRoutes(deps), ...sqlRoutes(deps), ...securityRoutes(deps), ...activityRoutes(deps), ...designerRoutes(deps), ...erRoutes(deps),
    ...userRoutes(deps), ...auditRoutes(deps), ...backupRoutes(deps)];
}

export async function startAdminUi(o: AdminUiOptions): Promise<AdminUi> {
  const adb = adminDb(o);
  const viewer = await viewerDbFor(o.config, adb, o.logger);
  try {
    const store = new AdminStore(adb);
    const storeProblem = await store.setup();
    if (storeProblem) o.logger.warn({ event: 'admin-store-unavailable' }, `admin UI: tabs and history won't be kept: ${storeProblem}`);
    const { accounts, owner } = await openAccounts(adb, store, o.config.adminPassword,
      (why) => o.logger.warn({ event: 'admin-accounts-unavailable' }, `admin UI: no accounts, only the admin password signs in: ${why}`));
    const password = accounts ? null : await passwordCheck(o.config.adminPassword, store);
    const deps: AdminDeps = {
      config: o.config, adb, viewer, store, apiDb: o.db, apiUrl: o.apiUrl, reloadSchema: o.reloadSchema,
      sessions: new Sessions(), limiter: store.available ? new StoredLoginGate(store) : new LoginLimiter(), logger: o.logger,
      accounts, invites: accounts ? new Invites(adb, accounts) : null, owner, password, audit: new AuditLog(adb, () => accounts !== null, o.logger),
      tokenAccount: tokenSignIn(o.config, (message) => o.logger.warn({ event: 'admin-jwks-error', message }, 'admin UI: token keys unavailable')),
    };
    const server: Server = createServer(createHandler(deps, adminRoutes(deps), staticFiles(o.clientDir ?? defaultClientDir)));
    const host = o.host ?? o.config.adminServerHost;
    const address = await new Promise<AddressInfo>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port ?? o.config.adminUiPort, host, () => resolve(server.address() as AddressInfo));
    });
    const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
    return {
      url: `http://${shown}:${address.port}`,
      generatedPassword: password ? password.generated : owner.generated,
      keepGeneratedPassword: () => (password ? password.keep() : owner.keep()),
      close: async () => {
        const closed = new Promise<void>((r) => server.close(() => r()));
        server.closeAllConnections();
        await closed;
        await viewer?.close();
        await adb.close();
      },
    };
  } catch (err) {
    await viewer?.close().catch(() => undefined);
    await adb.close().catch(() => undefined);
    throw err;
  }
}
