// Starts PeSquel: opens the database, initialises it when needed, loads the schema cache, listens
// for reloads and serves the API and the admin endpoints. Returns a handle to stop it cleanly.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config/config.js';
import { setupAuth } from '../auth/setup.js';
import type { Authenticate } from '../auth/types.js';
import { ensureInitialized } from '../db/init.js';
import { openDb } from '../db/open.js';
import type { Db } from '../db/types.js';
import { SchemaCacheHolder } from '../schema-cache/holder.js';
import type { Logger } from '../observability/logger.js';
import { createMetrics, type Metrics } from '../observability/metrics.js';
import { createObserver, type Observe } from '../observability/observer.js';
import { newestBackupAt } from '../backup/manifest.js';
import { version } from '../version.js';
import { createApp, type RequestEvent } from './app.js';
import { nodeHandler } from './node-adapter.js';
import { applyServerLimits, bodyLimits } from './server-limits.js';
import { createAdminServer } from './admin-server.js';
import { startControl } from './control.js';
import { startAdminUi } from '../admin/server.js';
import { startEmbeddedPsql, type EmbeddedPsql } from '../db/embedded-psql.js';

export interface Running {
  readonly config: Config;
  readonly db: Db;
  readonly schema: SchemaCacheHolder;
  readonly apiUrl: string;
  readonly adminUrl: string | null;
  /** psql URL of the embedded database (embedded-psql-port), null in server mode or when off. */
  readonly psqlUrl: string | null;
  /** The web admin UI (admin-ui-port), null when off. */
  readonly adminUiUrl: string | null;
  /** The admin UI password generated at this start (first start without admin-password), else null. */
  readonly adminPasswordGenerated: string | null;
  readonly initialized: boolean;
  readonly metrics: Metrics;
  /** Reports an operational event (e.g. an auth decision at a login endpoint) to the logs and /metrics. */
  readonly observe: Observe;
  reloadSchema(): Promise<void>;
  close(): Promise<void>;
}

export interface StartOptions {
  readonly logger: Logger;
  /** Replaces the authenticator built from the configuration (tests inject their own). */
  readonly authenticate?: Authenticate;
  readonly onRequest?: (e: RequestEvent) => void;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

const urlOf = (host: string, a: AddressInfo) => `http://${host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host}:${a.port}`;

export async function startPesquel(config: Config, opts: StartOptions): Promise<Running> {
  const log = opts.logger;
  let onReconnect = () => undefined as void;
  let observe: Observe = () => undefined;
  const db = await openDb(config, (e) => {
    observe(e);
    // Notifications sent while LISTEN was down are lost: reload as if one had arrived.
    if (e.type === 'listener-reconnected') onReconnect();
  });
  const metrics = createMetrics({ pool: () => db.poolStats(), lastBackupAt: async () => newestBackupAt(config.backupDir) });
  observe = createObserver(log, metrics);
  let initialized = false;
  try {
    if (config.dbInit) initialized = await ensureInitialized(db, config.dbSchemas[0]);
  } catch (err) {
    await db.close();
    throw new Error(`could not apply the init SQL: ${(err as Error).message}. Run 'pesquel init --db-url <superuser URL>' once, or set db-init=false.`, { cause: err });
  }
  const schema = new SchemaCacheHolder(db, config.dbSchemas, (e) => observe(e));
  try {
    await schema.reload();
  } catch (err) {
    await db.close();
    throw new Error(`could not load the schema cache: ${(err as Error).message}`, { cause: err });
  }
  const reloadSchema = async () => {
    await schema.reload().catch(() => undefined);
  };
  onReconnect = () => void reloadSchema();
  if (config.dbChannelEnabled) {
    await db.listen(config.dbChannel, (payload) => {
      if (payload === '' || payload === 'reload schema') void reloadSchema();
    });
  }

  let auth;
  try {
    // JWT verification, the auth service, and the refusal of superuser/BYPASSRLS request roles.
    auth = await setupAuth({ config, db, schemaCache: () => schema.current(), warn: (m) => log.warn({ event: 'auth' }, m), onDecision: (e) => observe(e) });
    for (const warning of await auth.check()) log.warn({ event: 'auth-safety' }, warning);
  } catch (err) {
    await db.close();
    throw err;
  }

  const app = createApp({
    config,
    db,
    schemaCache: () => schema.current(),
    authenticate: opts.authenticate ?? auth.authenticate,
    routes: auth.routes,
    onRequest: (e) => {
      opts.onRequest?.(e);
      observe(e);
    },
  });
  const handle = nodeHandler(app, { serverHeader: `pesquel/${version}`, bodyLimits: bodyLimits(config) });
  const server = createServer(handle);
  server.keepAliveTimeout = 65_000;
  applyServerLimits(server, config);
  const address = await listen(server, config.serverPort, config.serverHost);
  const apiUrl = urlOf(config.serverHost, address);

  let admin: Server | null = null;
  let adminUrl: string | null = null;
  if (config.adminServerPort > 0) {
    admin = createAdminServer({ db, schema, metrics: metrics.registry });
    adminUrl = urlOf(config.adminServerHost, await listen(admin, config.adminServerPort, config.adminServerHost));
  }

  let psql: EmbeddedPsql | null = null;
  try {
    psql = await startEmbeddedPsql(db, config.dataDir, config.embeddedPsqlPort);
  } catch (err) {
    log.warn({ event: 'embedded-psql-unavailable', port: config.embeddedPsqlPort, message: (err as Error).message }, 'psql endpoint not started (set embedded-psql-port)');
  }

  const control = await startControl(config, db, { observe, reloadSchema });

  const adminUi = config.adminUiPort > 0 ? await startAdminUi({ config, db, apiUrl, logger: log, reloadSchema }) : null;
  if (adminUi?.generatedPassword) {
    // The password itself goes only to the operator's terminal (the start banner), never into logs.
    log.warn({ event: 'admin-password-generated', url: adminUi.url }, 'admin UI password generated (stored hashed; shown once in the start banner)');
  }

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      // Stop accepting, let in-flight requests finish (idle keep-alive sockets are closed so
      // they can't hold the server open), then close the database cleanly.
      const stopped = Promise.all([server, admin].map((s) => s && new Promise<void>((r) => s.close(() => r()))));
      server.closeIdleConnections();
      admin?.closeIdleConnections();
      await stopped;
      await psql?.close();
      await control?.close();
      await adminUi?.close();
      await db.close();
    })();
    return closing;
  };
  return { config, db, schema, apiUrl, adminUrl, adminUiUrl: adminUi?.url ?? null, adminPasswordGenerated: adminUi?.generatedPassword ?? null, psqlUrl: psql?.url ?? null, initialized, metrics, observe, reloadSchema, close };
}
