// Applies PeSquel's bundled init SQL (sql/init/*.sql: roles, api schema, todos with RLS).
// Every file is idempotent; `ensureInitialized` runs them only when the api schema is missing.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inTransaction } from './transaction.js';
import type { Conn, Db } from './types.js';

export const initSqlDir = fileURLToPath(new URL('../../sql/init/', import.meta.url));

export function initScripts(): Array<{ name: string; sql: string }> {
  return readdirSync(initSqlDir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((name) => ({ name, sql: readFileSync(initSqlDir + name, 'utf8') }));
}

// Two processes starting on one fresh database (two `pesquel migrate`s, or a server and a migrate)
// would both create the roles; the loser failed on pg_authid's unique index. Init runs under a
// transaction-scoped advisory lock (fine through pgBouncer in transaction mode) and re-checks inside it.
const lockSql = `SELECT pg_advisory_xact_lock(hashtextextended('pesquel init', 0))`;

function initTransaction<T>(db: Db, fn: (conn: Conn) => Promise<T>): Promise<T> {
  return db.withConnection((conn) => inTransaction(conn, async (c) => {
    await c.exec(lockSql);
    return fn(c);
  }));
}

async function runScripts(conn: Conn): Promise<void> {
  for (const s of initScripts()) await conn.exec(s.sql);
}

export async function applyInitSql(db: Db): Promise<void> {
  await initTransaction(db, runScripts);
}

const missingSql = 'SELECT count(*) AS n FROM pg_namespace WHERE nspname = $1';
const isMissing = (r: { rows: ReadonlyArray<{ n: unknown }> }) => Number(r.rows[0]?.n ?? 0) === 0;

/** True when the given schema is missing (a fresh database). */
export async function schemaMissing(db: Db, schema: string): Promise<boolean> {
  return isMissing(await db.query<{ n: unknown }>(missingSql, [schema]));
}

export async function ensureInitialized(db: Db, schema = 'api'): Promise<boolean> {
  if (!(await schemaMissing(db, schema))) return false;
  return initTransaction(db, async (conn) => {
    if (!isMissing(await conn.query<{ n: unknown }>(missingSql, [schema]))) return false; // another process won
    await runScripts(conn);
    return true;
  });
}
