// Applies pending migrations, each in its own transaction that first takes a transaction-scoped
// advisory lock: a second `migrate` waits, then sees what the first applied. Transaction-scoped
// (not session) locks keep this safe through pgBouncer in transaction mode, and on PGlite.
//   BEGIN; SELECT pg_advisory_xact_lock(…); <checks>; <migration SQL>; INSERT INTO pesquel.schema_migrations …;
//   SELECT pg_notify('pgrst', 'reload schema'); COMMIT;
import type { Conn, Db } from '../db/types.js';
import { inTransaction } from '../db/transaction.js';
import { MigrationError, type MigrationFile } from './files.js';
import { planMigrations, type AppliedMigration, type MigrationPlan } from './plan.js';

const lockSql = `SELECT pg_advisory_xact_lock(hashtextextended('pesquel migrate', 0))`;

const tableSql = `CREATE SCHEMA IF NOT EXISTS pesquel;
CREATE TABLE IF NOT EXISTS pesquel.schema_migrations (
  version text PRIMARY KEY,
  name text NOT NULL,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  duration_ms integer NOT NULL,
  applied_by text NOT NULL DEFAULT current_user
)`;

export interface MigrateOptions {
  /** NOTIFY channel of running PeSquel servers (db-channel); null: no notification. */
  readonly channel: string | null;
  readonly onApplied?: (file: MigrationFile, ms: number) => void;
}

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ').trim();

async function readApplied(conn: Conn): Promise<AppliedMigration[]> {
  const exists = await conn.query<{ t: string | null }>(`SELECT to_regclass('pesquel.schema_migrations')::text AS t`);
  if (exists.rows[0]?.t == null) return [];
  const r = await conn.query<{ version: string; name: string; checksum: string; applied_at: string }>(
    `SELECT version, name, checksum, to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS applied_at FROM pesquel.schema_migrations`);
  return r.rows.map((x) => ({ version: x.version, name: x.name, checksum: x.checksum, appliedAt: x.applied_at }));
}

/** Applies one pending migration under the lock; null when nothing is pending. */
async function applyNext(conn: Conn, files: readonly MigrationFile[], opts: MigrateOptions): Promise<MigrationFile | null> {
  const done = await inTransaction(conn, async () => {
    await conn.query(lockSql);
    await conn.exec(tableSql);
    const plan = planMigrations(files, await readApplied(conn));
    if (plan.problems.length > 0) throw new MigrationError(plan.problems.join('; '));
    const next = plan.pending[0];
    if (!next) return null;
    const t0 = performance.now();
    try {
      await conn.exec(next.sql);
    } catch (err) {
      throw new MigrationError(`${next.file} failed, nothing of it was applied: ${oneLine((err as Error).message)}`);
    }
    const ms = Math.round(performance.now() - t0);
    await conn.query('INSERT INTO pesquel.schema_migrations (version, name, checksum, duration_ms) VALUES ($1, $2, $3, $4)',
      [next.version, next.name, next.checksum, ms]);
    if (opts.channel !== null) await conn.query(`SELECT pg_notify($1, 'reload schema')`, [opts.channel]);
    return { next, ms };
  });
  if (done === null) return null;
  opts.onApplied?.(done.next, done.ms);
  return done.next;
}

/** Applies every pending migration in order; stops at the first problem or failure. */
export async function applyMigrations(db: Db, files: readonly MigrationFile[], opts: MigrateOptions): Promise<string[]> {
  const applied: string[] = [];
  for (;;) {
    const next = await db.withConnection((conn) => applyNext(conn, files, opts));
    if (next === null) return applied;
    applied.push(next.file);
  }
}

/** What `migrate status` shows: every file and every recorded migration with its state. */
export async function migrationStatus(db: Db, files: readonly MigrationFile[]): Promise<MigrationPlan> {
  return db.withConnection(async (conn) => planMigrations(files, await readApplied(conn)));
}
