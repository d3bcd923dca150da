// Restores a backup into a database: refuses one that holds data unless told to replace it, empties
// it, loads the dump, then compares every table's row count with the manifest (the restore check).
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { Conn, Db } from '../db/types.js';
import { inTransaction } from '../db/transaction.js';
import { hasData, rowCounts, unsafeWipeSql } from './catalog.js';
import { readManifest, type BackupFormat, type Manifest } from './manifest.js';
import { serverMajor } from './postgres.js';
import { connectionArgs, findPgTool, runTool } from './tools.js';
import { sha256File } from './write.js';

export class RestoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestoreError';
  }
}

export interface CountCheck {
  readonly ok: boolean;
  readonly tables: number;
  readonly rows: number;
  /** One line per table whose count differs (or that is missing). */
  readonly differences: readonly string[];
}

export interface RestoreOptions {
  /** Replace a database that holds data (the CLI asks for explicit confirmation first). */
  readonly replace: boolean;
  /** NOTIFY channel so running servers reload their schema cache; null: none. */
  readonly channel: string | null;
  /** PostgreSQL URI of the target, for pg_restore (custom-format backups). */
  readonly uri: string | null;
  readonly docker?: boolean;
}

export interface LoadedBackup {
  readonly path: string;
  readonly kind: BackupFormat;
  readonly manifest: Manifest | null;
}

export async function openBackup(path: string): Promise<LoadedBackup> {
  if (!existsSync(path)) throw new RestoreError(`no backup file at ${path}`);
  const manifest = readManifest(path);
  const kind: BackupFormat | null = manifest?.kind ?? (path.endsWith('.sql.gz') ? 'sql-gzip' : path.endsWith('.dump') ? 'pg-custom' : null);
  if (kind === null) throw new RestoreError(`${path}: not a PeSquel backup (expected a .sql.gz or .dump file with its .json manifest)`);
  if (manifest && (await sha256File(path)) !== manifest.sha256) throw new RestoreError(`${path} is damaged: its checksum differs from the manifest's`);
  return { path, kind, manifest };
}

export function compareCounts(expected: Readonly<Record<string, number>>, actual: Readonly<Record<string, number>>): CountCheck {
  const differences: string[] = [];
  for (const [table, n] of Object.entries(expected)) {
    const got = actual[table];
    if (got === undefined) differences.push(`${table}: missing after restore (expected ${n} rows)`);
    else if (got !== n) differences.push(`${table}: ${got} rows, expected ${n}`);
  }
  const rows = Object.values(expected).reduce((a, b) => a + b, 0);
  return { ok: differences.length === 0, tables: Object.keys(expected).length, rows, differences };
}

/** PostgreSQL 17's pg_dump writes settings older servers reject; drop just those lines. */
export function adaptDump(sql: string, targetMajor: number): string {
  return targetMajor >= 17 ? sql : sql.replace(/^SET transaction_timeout = 0;$/m, '');
}

async function loadSql(conn: Conn, b: LoadedBackup): Promise<void> {
  const { major } = await serverMajor(conn);
  const sql = adaptDump(gunzipSync(readFileSync(b.path)).toString('utf8'), major);
  try {
    await inTransaction(conn, async () => {
      await conn.exec(unsafeWipeSql);
      await conn.exec(sql);
    });
  } catch (err) {
    throw new RestoreError(`restore failed, the database was left as it was: ${(err as Error).message.split('\n')[0]}`);
  } finally {
    // The dump sets search_path and row_security for its own session.
    await conn.exec('RESET search_path; RESET row_security').catch(() => undefined);
  }
}

async function loadCustom(db: Db, b: LoadedBackup, opts: RestoreOptions): Promise<void> {
  if (db.kind !== 'postgres' || opts.uri === null) {
    throw new RestoreError(`${b.path} is a pg_dump custom-format backup of a PostgreSQL server; it restores into PostgreSQL only (--db-url)`);
  }
  const major = await db.withConnection(async (conn) => (await serverMajor(conn)).major);
  const tool = findPgTool('pg_restore', major, opts.docker);
  if (!tool) throw new RestoreError(`no pg_restore for PostgreSQL ${major} or newer here: install postgresql-client-${major}, or run it in the compose stack`);
  await db.withConnection(async (conn) => {
    await conn.exec(`BEGIN; ${unsafeWipeSql}; ${b.manifest?.rolesSql ?? ''}; COMMIT`);
  });
  const { args, env } = connectionArgs(tool, opts.uri);
  // Through the container, the file travels on stdin; a local pg_restore reads it directly.
  const fileArgs = tool.inContainer ? [] : [b.path];
  try {
    await runTool(tool, ['--single-transaction', '--exit-on-error', '--no-owner', '--no-password', ...args, ...fileArgs], env, tool.inContainer ? { inFile: b.path } : {});
  } catch (err) {
    throw new RestoreError(`restore failed: ${(err as Error).message}`);
  }
}

/** Restores `b` into `db` and checks the row counts; throws RestoreError when refused or failed. */
export async function restoreBackup(db: Db, b: LoadedBackup, opts: RestoreOptions): Promise<CountCheck> {
  await db.withConnection(async (conn) => {
    if (!opts.replace && (await hasData(conn))) {
      throw new RestoreError('the target database holds data; restoring replaces all of it — confirm with --yes (or restore into an empty database)');
    }
  });
  if (b.kind === 'sql-gzip') await db.withConnection((conn) => loadSql(conn, b));
  else await loadCustom(db, b, opts);
  return db.withConnection(async (conn) => {
    const actual = await rowCounts(conn);
    if (opts.channel !== null) await conn.query(`SELECT pg_notify($1, 'reload schema')`, [opts.channel]);
    return compareCounts(b.manifest?.rowCounts ?? actual, actual);
  });
}
