// Starts a real PeSquel (HTTP on a free port) over a real database for tests: embedded PGlite
// (copied from a cached, initialised template data dir), a PostgreSQL server started by the
// harness, or that server behind pgBouncer in transaction mode. Fixtures are SQL files in test/fixtures.
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config/config.js';
import { initScripts, applyInitSql } from '../../src/db/init.js';
import { PgliteDb } from '../../src/db/pglite.js';
import { startPesquel, type Running, type StartOptions } from '../../src/http/main.js';
import { createLogger } from '../../src/observability/logger.js';
import {
  pgBinariesAvailable, pgBouncerAvailable, startPgBouncer, startPostgres,
  type PgBouncerServer, type PgServer,
} from './postgres-server.js';

export type BackendKind = 'pglite' | 'postgres' | 'pgbouncer';

export const fixturesDir = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Backends to test: TEST_BACKENDS=pglite,postgres,pgbouncer (default: all available here). */
export function backendKinds(): BackendKind[] {
  const env = process.env.TEST_BACKENDS;
  if (env) return env.split(',').map((s) => s.trim()) as BackendKind[];
  const kinds: BackendKind[] = ['pglite'];
  if (pgBinariesAvailable()) kinds.push('postgres');
  if (pgBinariesAvailable() && pgBouncerAvailable()) kinds.push('pgbouncer');
  return kinds;
}

export interface TestApi {
  readonly kind: BackendKind;
  readonly url: string;
  readonly running: Running;
  readonly config: Config;
  /** Runs SQL as a superuser (fixtures, checks behind the API's back). */
  sql(text: string, values?: unknown[]): Promise<Record<string, unknown>[]>;
  /** fetch() against the API: `api.get('/todos?id=eq.1', { headers })`. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  reload(): Promise<void>;
  close(): Promise<void>;
}

export interface TestApiOptions {
  /** Fixture files under test/fixtures, applied in order after the init SQL. */
  readonly fixtures?: readonly string[];
  /** Config options by PostgREST name. */
  readonly options?: Readonly<Record<string, string>>;
  readonly start?: Partial<StartOptions>;
}

const authenticatorPassword = 'authenticator-test-password';

/** A PGlite data dir with the init SQL applied, built once per init-SQL version and copied. */
async function pgliteTemplate(): Promise<string> {
  const hash = createHash('sha256').update(initScripts().map((s) => s.sql).join('\n')).digest('hex').slice(0, 12);
  const dir = join(tmpdir(), `pesquel-pglite-template-${hash}`);
  if (existsSync(join(dir, 'PG_VERSION'))) return dir;
  const staging = mkdtempSync(join(tmpdir(), 'pesquel-pglite-staging-'));
  const db = await PgliteDb.open(staging);
  await applyInitSql(db);
  await db.close();
  try {
    renameSync(staging, dir);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another process won the race
  }
  return dir;
}

export async function startTestApi(kind: BackendKind, opts: TestApiOptions = {}): Promise<TestApi> {
  const fixtures = (opts.fixtures ?? []).map((f) => readFileSync(join(fixturesDir, f), 'utf8'));
  const logger = createLogger('error');
  let pgServer: PgServer | null = null;
  let bouncer: PgBouncerServer | null = null;
  let dataDir: string | null = null;
  const env: Record<string, string> = {};
  const base: Record<string, string> = { 'server-port': '0', 'admin-server-port': '0', 'admin-ui-port': '0', 'embedded-psql-port': '0', 'log-level': 'error', ...opts.options };

  let superSql: TestApi['sql'];
  let closeSuper: () => Promise<void> = async () => undefined;

  if (kind === 'pglite') {
    dataDir = mkdtempSync(join(tmpdir(), 'pesquel-test-pglite-'));
    cpSync(await pgliteTemplate(), dataDir, { recursive: true });
    base['data-dir'] = dataDir;
    // Fixtures go in before start, through a short-lived instance (PGlite allows one user of a dir).
    if (fixtures.length > 0) {
      const db = await PgliteDb.open(dataDir);
      for (const f of fixtures) await db.withConnection((c) => c.exec(f));
      await db.close();
    }
    superSql = async () => { throw new Error('set after start'); };
  } else {
    pgServer = await startPostgres();
    const admin = new pg.Client({ connectionString: pgServer.superUrl });
    admin.on('error', () => undefined);
    await admin.connect();
    for (const s of initScripts()) await admin.query(s.sql);
    await admin.query(`ALTER ROLE authenticator PASSWORD '${authenticatorPassword}'`);
    for (const f of fixtures) await admin.query(f);
    superSql = async (text, values) => (await admin.query(text, values)).rows as Record<string, unknown>[];
    closeSuper = () => admin.end();
    const direct = pgServer.url('authenticator', authenticatorPassword);
    base['db-init'] = 'false';
    if (kind === 'pgbouncer') {
      bouncer = await startPgBouncer(pgServer, { users: [{ name: 'authenticator', password: authenticatorPassword }], poolMode: 'transaction', poolSize: 10 });
      base['db-uri'] = bouncer.url('authenticator', authenticatorPassword);
      base['db-listen-uri'] = direct;
    } else {
      base['db-uri'] = direct;
    }
  }

  const config = loadConfig({ env, flags: base });
  const running = await startPesquel(config, { logger, ...opts.start });
  if (kind === 'pglite') {
    // The superuser connection is the embedded session itself (serialised with the API).
    superSql = async (text, values) => (await running.db.query(text, values)).rows;
  }
  const url = running.apiUrl;
  return {
    kind,
    url,
    running,
    config,
    sql: (t, v) => superSql(t, v),
    fetch: (path, init) => fetch(url + path, init),
    reload: () => running.reloadSchema(),
    close: async () => {
      await running.close();
      await closeSuper().catch(() => undefined);
      await bouncer?.stop();
      await pgServer?.stop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const randomName = (prefix: string) => `${prefix}_${randomBytes(4).toString('hex')}`;
