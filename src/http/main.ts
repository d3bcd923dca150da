// Starts PeSquel: locks the embedded data directory and checks every port, opens the database,
// initialises it when needed, loads the schema cache, listens for reloads and serves the API and the
// admin endpoints. All or nothing: a failure closes whatever was opened. Returns a handle to stop it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config/config.js';
import type { Authenticate } from '../auth/types.js';
import { prepareConfiguredDatabase } from '../db/prepare.js';
import { checkServerReachable, openDb } from '../db/open.js';
import { lockDataDir } from '../db/data-dir.js';
import type { Db } from '../db/types.js';
import { SchemaCacheHolder } from '../schema-cache/holder.js';
import type { Logger } from '../observability/logger.js';
import { createMetrics, shareMetricsWithPrimary, type Metrics } from '../observability/metrics.js';
import { createObserver, type Observe } from '../observability/observer.js';
import { newestBackupAt } from '../backup/manifest.js';
import { version } from '../version.js';
import type { RequestEvent } from './app.js';
import { nodeHandler } from './node-adapter.js';
import { applyServerLimits, bodyLimits } from './server-limits.js';
import { createAdminServer } from './admin-server.js';
import { startControl } from './control.js';
import { adminAccounts, resetAdminPassword, startAdminUi, type AdminUi } from '../admin/server.js';
import type { AccountRequest } from '../admin/users/account-actions.js';
import { startEmbeddedPsql, type EmbeddedPsql } from '../db/embedded-psql.js';
import { checkPortsFree, explainListenError, portClaims, type PortClaim } from './ports.js';
import { primaryConnectionLost } from './recovery.js';
import { configWithInDb } from './live-config.js';
import { liveApi } from './live-api.js';
import { ConfigError } from '../config/config-error.js';
import { clearStaleSocket, listenUnix, socketMode } from './unix-socket.js';

export interface Running {
  /** The configuration in force: the one given, with the in-database values (db-config) on top. */
  readonly config: Config;
  readonly db: Db;
  readonly schema: SchemaCacheHolder;
  /** http://host:port, or http+unix://<path, URI-encoded> with server-unix-socket. */
  readonly apiUrl: string;
  readonly adminUrl: string | null;
  /** psql URL of the embedded database (embedded-psql-port), null in server mode or when off. */
  readonly psqlUrl: string | null;
  /** The same without its password (for the banner) and the file that holds the password. */
  readonly psql: { readonly url: string; readonly passwordFile: string } | null;
  /** The web admin UI (admin-ui-port), null when off. */
  readonly adminUiUrl: string | null;
  /**
   * The admin UI password generated at this start (no admin-password and none stored), else null.
   * It is stored (hashed) only by keepAdminPassword(), once the caller has shown it to the user.
   */
  readonly adminPasswordGenerated: string | null;
  keepAdminPassword(): Promise<void>;
  readonly initialized: boolean;
  readonly metrics: Metrics;
  /** Reports an operational event (e.g. an auth decision at a login endpoint) to the logs and /metrics. */
  readonly observe: Observe;
  reloadSchema(): Promise<void>;
  /** Reads the in-database configuration again (db-config; NOTIFY 'reload config', SIGUSR2); a failure keeps the current one and is logged. */
  reloadConfig(): Promise<void>;
  close(): Promise<void>;
}

export interface StartOptions {
  readonly logger: Logger;
  /** Replaces the authenticator built from the configuration (tests inject their own). */
  readonly authenticate?: Authenticate;
  readonly onRequest?: (e: RequestEvent) => void;
  /**
   * db-pool-automatic-recovery = false: called once the primary's connection is lost (recovery.ts);
   * the caller logs, closes and exits. Unset: nothing happens beyond the usual recovery.
   */
  readonly onConnectionLost?: (message: string) => void;
  /** This process's slot (1…N) when it is one of several API workers (workers/worker.ts). */
  readonly worker?: number;
}

export function listen(server: Server, port: number, host: string, claim: PortClaim | undefined): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const failed = (err: Error) => reject(explainListenError(err, claim));
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve(server.address() as AddressInfo);
    });
  });
}

export const urlOf = (host: string, a: AddressInfo) => `http://${host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host}:${a.port}`;

/** How long in-flight requests may finish after close() before their connections are closed. */
export const shutdownGraceMs = 10_000;

export async function startPesquel(config: Config, opts: StartOptions): Promise<Running> {
  // The quick checks come first, so that a second start or a busy port fails within a second
  // rather than after opening the database.
  const lock = config.dbUri === null ? lockDataDir(config.dataDir) : null;
  const claims = portClaims(config);
  const claim = (option: string) => claims.find((c) => c.option === option);
  let onReconnect = () => undefined as void;
  // Events before the logger is wired (a read replica found down or up at open) are kept, then reported.
  const early: Parameters<Observe>[0][] = [];
  let observe: Observe = (e) => void early.push(e);
  let db: Db;
  try {
    await checkPortsFree(claims);
    if (config.serverUnixSocket !== null) await clearStaleSocket(config.serverUnixSocket);
    await checkServerReachable(config);
    db = await openDb(config, (e) => {
      // Without automatic recovery the loss is the one line logged (no "reconnecting" before the exit).
      if (!config.dbPoolAutomaticRecovery && opts.onConnectionLost && primaryConnectionLost(e)) return opts.onConnectionLost(e.message);
      observe(e);
      // Notifications sent while LISTEN was down are lost: reload as if one had arrived.
      if (e.type === 'listener-reconnected') onReconnect();
    }, lock);
  } catch (err) {
    lock?.release();
    throw err;
  }
  // What has been opened, closed in reverse order when a later step fails.
  const opened: (() => Promise<unknown>)[] = [() => db.close()];
  try {
    return await serve(config, opts, db, opened, claim, (o) => { observe = o; for (const e of early.splice(0)) o(e); }, (r) => { onReconnect = r; });
  } catch (err) {
    for (const close of opened.reverse()) await close().catch(() => undefined);
    throw err;
  }
}

async function serve(
  config: Config, opts: StartOptions, db: Db, opened: (() => Promise<unknown>)[], claim: (option: string) => PortClaim | undefined,
  setObserve: (o: Observe) => void, setOnReconnect: (r: () => void) => void,
): Promise<Running> {
  const log = opts.logger;
  const metrics = createMetrics({ pool: () => db.poolStats(), lastBackupAt: async () => newestBackupAt(config.backupDir), worker: opts.worker,
    backends: db.backends ? () => db.backends?.() ?? [] : undefined });
  if (opts.worker !== undefined) shareMetricsWithPrimary(metrics.registry);
  const observe = createObserver(log, metrics);
  setObserve(observe);
  let initialized = false;
  try {
    if (config.dbInit) {
      const prepared = await prepareConfiguredDatabase(config, db);
      initialized = prepared.seeded;
      if (prepared.upgraded.length > 0) {
        const what = prepared.seeded ? "created PeSquel's own database objects" : "upgraded PeSquel's own database objects";
        log.info({ event: 'internal-migrations', applied: prepared.upgraded }, `${what}: ${prepared.upgraded.join(', ')}`);
      }
    }
  } catch (err) {
    throw new Error(`could not apply the init SQL: ${(err as Error).message}. Run 'pesquel init --db-url <superuser URL>' once, or set db-init=false.`, { cause: err });
  }
  // db-config: the pgrst.* settings in the database win over flags, file and environment (PostgREST).
  let initial: Config;
  try {
    initial = await configWithInDb(config, db);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new Error(`could not read the in-database configuration (db-config): ${(err as Error).message}`, { cause: err });
  }
  if (initial.dbPreparedStatements !== config.dbPreparedStatements) db.usePreparedStatements?.(initial.dbPreparedStatements);
  const schema = new SchemaCacheHolder(db, initial.dbSchemas, (e) => observe(e), initial.dbExtraSearchPath);
  try {
    await schema.reload();
  } catch (err) {
    throw new Error(`could not load the schema cache: ${(err as Error).message}`, { cause: err });
  }
  const reloadSchema = async () => {
    await schema.reload().catch(() => undefined);
  };

  const { live, handler } = await liveApi({ base: config, initial, db, schema, log, observe, authenticate: opts.authenticate, onRequest: opts.onRequest });
  const reloadConfig = () => live.reload();
  // Notifications sent while LISTEN was down are lost: both reloads run as if one had arrived.
  setOnReconnect(() => void reloadConfig().then(reloadSchema));
  if (config.dbChannelEnabled) {
    await db.listen(config.dbChannel, (payload) => {
      // PostgREST: an empty payload reloads both; config first, its schemas may have changed.
      if (payload === '') void reloadConfig().then(reloadSchema);
      else if (payload === 'reload schema') void reloadSchema();
      else if (payload === 'reload config') void reloadConfig();
    });
  }
  const handle = nodeHandler(handler, { serverHeader: `pesquel/${version}`, bodyLimits: bodyLimits(config) });
  const server = createServer(handle);
  server.keepAliveTimeout = 65_000;
  applyServerLimits(server, config);
  const closeServer = (s: Server) => () => {
    const closed = new Promise<void>((r) => s.close(() => r()));
    s.closeAllConnections();
    return closed;
  };
  // server-unix-socket takes precedence over server-host/server-port (PostgREST): no TCP listener then.
  const socket = config.serverUnixSocket === null ? null : await listenUnix(server, config.serverUnixSocket, socketMode(config.serverUnixSocketMode));
  const apiUrl = socket ? socket.url : urlOf(config.serverHost, await listen(server, config.serverPort, config.serverHost, claim('server-port')));
  opened.push(closeServer(server));
  if (socket) opened.push(async () => socket.remove());

  let admin: Server | null = null;
  let adminUrl: string | null = null;
  if (config.adminServerPort > 0) {
    admin = createAdminServer({ db, schema, metrics: metrics.registry });
    adminUrl = urlOf(config.adminServerHost, await listen(admin, config.adminServerPort, config.adminServerHost, claim('admin-server-port')));
    opened.push(closeServer(admin));
  }

  let psql: EmbeddedPsql | null;
  try {
    psql = await startEmbeddedPsql(db, config.dataDir, config.embeddedPsqlPort);
  } catch (err) {
    throw explainListenError(err, claim('embedded-psql-port'));
  }
  if (psql) opened.push(psql.close);

  const control = await startControl(config, db, {
    observe, reloadSchema,
    routes: {
      '/admin-password': async () => ({ password: await resetAdminPassword({ config, db, logger: log }) }),
      '/admin-accounts': (body) => adminAccounts({ config, db, logger: log }, body as AccountRequest),
    },
  });
  if (control) opened.push(control.close);

  let adminUi: AdminUi | null = null;
  if (config.adminUiPort > 0) {
    try {
      adminUi = await startAdminUi({ config, db, apiUrl, logger: log, reloadSchema });
    } catch (err) {
      throw explainListenError(err, claim('admin-ui-port'));
    }
    opened.push(adminUi.close);
  }

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      // Stop accepting, let in-flight requests finish (idle keep-alive sockets are closed so
      // they can't hold the server open), then close the database cleanly.
      const stopped = Promise.all([server, admin].map((s) => s && new Promise<void>((r) => s.close(() => r()))));
      server.closeIdleConnections();
      admin?.closeIdleConnections();
      // A request still running after the grace period, or a socket Node does not count as idle
      // (a client that vanished half-way through sending), must not hold the process until its
      // keep-alive timeout: close them.
      const grace = setTimeout(() => {
        server.closeAllConnections();
        admin?.closeAllConnections();
      }, shutdownGraceMs);
      await stopped;
      clearTimeout(grace);
      socket?.remove();
      await psql?.close();
      await control?.close();
      await adminUi?.close();
      await db.close();
    })();
    return closing;
  };
  const keepAdminPassword = async () => {
    if (!adminUi?.generatedPassword) return;
    await adminUi.keepGeneratedPassword();
    // The password itself goes only to the operator's terminal (the start banner), never into logs.
    log.warn({ event: 'admin-password-generated', url: adminUi.url }, 'admin UI password generated (stored hashed; shown once in the start banner)');
  };
  return {
    get config() { return live.current; }, db, schema, apiUrl, reloadConfig, adminUrl, adminUiUrl: adminUi?.url ?? null, adminPasswordGenerated: adminUi?.generatedPassword ?? null, keepAdminPassword,
    psqlUrl: psql?.url ?? null, psql: psql && { url: psql.publicUrl, passwordFile: psql.passwordFile }, initialized, metrics, observe, reloadSchema, close,
  };
}
