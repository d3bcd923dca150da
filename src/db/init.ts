// Applies PeSquel's bundled init SQL (sql/init/*.sql: roles, api schema, todos with RLS).
// Every file is idempotent; `ensureInitialized` runs them only when the api schema is missing.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db } from './types.js';

export const initSqlDir = fileURLToPath(new URL('../../sql/init/', import.meta.url));

export function initScripts(): Array<{ name: string; sql: string }> {
  return readdirSync(initSqlDir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((name) => ({ name, sql: readFileSync(initSqlDir + name, 'utf8') }));
}

export async function applyInitSql(db: Db): Promise<void> {
  await db.withConnection(async (conn) => {
    await conn.exec('BEGIN');
    try {
      for (const s of initScripts()) await conn.exec(s.sql);
      await conn.exec('COMMIT');
    } catch (err) {
      await conn.exec('ROLLBACK').catch(() => undefined);
      throw err;
    }
  });
}

/** True when the given schema is missing (a fresh database). */
export async function schemaMissing(db: Db, schema: string): Promise<boolean> {
  const r = await db.query<{ n: unknown }>('SELECT count(*) AS n FROM pg_namespace WHERE nspname = $1', [schema]);
  return Number(r.rows[0]?.n ?? 0) === 0;
}

export async function ensureInitialized(db: Db, schema = 'api'): Promise<boolean> {
  if (!(await schemaMissing(db, schema))) return false;
  await applyInitSql(db);
  return true;
}
