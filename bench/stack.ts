// Starts the databases the benchmark needs on loopback: a PostgreSQL server (the test harness),
// pgBouncer in transaction mode in front of it, and a prepared PGlite data directory; all loaded
// with bench/fixture.sql on top of the bundled init SQL.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { applyInitSql, initScripts } from '../src/db/init.js';
import { PgliteDb } from '../src/db/pglite.js';
import { startPgBouncer, startPostgres, type PgBouncerServer, type PgServer } from '../test/helpers/postgres-server.js';

export const AUTHENTICATOR = { name: 'authenticator', password: 'bench-authenticator-password' };

export function fixtureSql(todos: number): string {
  return readFileSync(new URL('./fixture.sql', import.meta.url), 'utf8').replaceAll('__TODOS__', String(Math.floor(todos)));
}

export interface ServerStack {
  readonly pg: PgServer;
  readonly bouncer: PgBouncerServer;
  readonly directUri: string;
  readonly bouncerUri: string;
  /** Superuser SQL (truncating the write table between runs). */
  sql(text: string): Promise<void>;
  close(): Promise<void>;
}

export async function startServerStack(todos: number, poolSize: number): Promise<ServerStack> {
  const server = await startPostgres({ database: 'bench' });
  try {
    const admin = new pg.Client({ connectionString: server.superUrl });
    await admin.connect();
    // Room for every pool of every server under test, pgbench and pgBouncer's own connections.
    await admin.query('ALTER SYSTEM SET max_connections = 300');
    await admin.end();
    await server.restart();
    const su = new pg.Client({ connectionString: server.superUrl });
    su.on('error', () => undefined);
    await su.connect();
    for (const s of initScripts()) await su.query(s.sql);
    await su.query(`ALTER ROLE authenticator PASSWORD '${AUTHENTICATOR.password}'`);
    await su.query(fixtureSql(todos));
    await su.query('VACUUM ANALYZE');
    const bouncer = await startPgBouncer(server, { users: [AUTHENTICATOR], poolMode: 'transaction', poolSize });
    return {
      pg: server,
      bouncer,
      directUri: server.url(AUTHENTICATOR.name, AUTHENTICATOR.password),
      bouncerUri: bouncer.url(AUTHENTICATOR.name, AUTHENTICATOR.password),
      sql: async (text) => {
        await su.query(text);
      },
      close: async () => {
        await su.end().catch(() => undefined);
        await bouncer.stop();
        await server.stop();
      },
    };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

/**
 * The loaded PGlite data directory, built once per init SQL + fixture (initdb and 100k rows take
 * about a minute on a busy 2-core machine) and cached in the temp dir, like the test helpers do.
 */
async function pgliteMaster(todos: number): Promise<string> {
  const key = createHash('sha256').update([...initScripts().map((s) => s.sql), fixtureSql(todos)].join('\n')).digest('hex').slice(0, 12);
  const dir = join(tmpdir(), `pesquel-bench-pglite-${key}`);
  if (existsSync(join(dir, 'PG_VERSION'))) return dir;
  const staging = mkdtempSync(join(tmpdir(), 'pesquel-bench-pglite-staging-'));
  const db = await PgliteDb.open(staging);
  await applyInitSql(db);
  await db.withConnection((c) => c.exec(fixtureSql(todos)));
  await db.close();
  try {
    renameSync(staging, dir);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // a concurrent run built it first
  }
  return dir;
}

/** `copies` private copies of the loaded PGlite data directory (one per process that opens it). */
export async function preparePglite(todos: number, copies: number): Promise<{ dirs: string[]; remove(): void }> {
  const master = await pgliteMaster(todos);
  const root = mkdtempSync(join(tmpdir(), 'pesquel-bench-pglite-run-'));
  const dirs = Array.from({ length: copies }, (_, i) => {
    const d = join(root, `copy-${i}`);
    cpSync(master, d, { recursive: true });
    return d;
  });
  return { dirs, remove: () => rmSync(root, { recursive: true, force: true }) };
}
