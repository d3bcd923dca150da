// Catalog queries shared by backup and restore: row counts per table, the roles a dump needs,
// whether a database holds data, and how to clear it before a restore over it.
import type { Conn } from '../db/types.js';

const userTables = `SELECT n.nspname AS schema, c.relname AS name
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
   AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
 ORDER BY 1, 2`;

const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** `schema.table` → row count (partitioned tables counted once, through the parent). */
export async function rowCounts(conn: Conn): Promise<Record<string, number>> {
  const tables = await conn.query<{ schema: string; name: string }>(userTables);
  const out: Record<string, number> = {};
  for (const t of tables.rows) {
    const r = await conn.query<{ n: unknown }>(`SELECT count(*) AS n FROM ${quote(t.schema)}.${quote(t.name)}`);
    out[`${t.schema}.${t.name}`] = Number(r.rows[0]?.n ?? 0);
  }
  return out;
}

/**
 * PeSquel's own bookkeeping, written by `pesquel init` and every start: a database that holds only
 * these rows holds no data (a fresh server prepared for a restore). The backup brings its own.
 */
const bookkeeping = new Set(['pesquel.internal_migrations']);

export async function hasData(conn: Conn): Promise<boolean> {
  const counts = await rowCounts(conn);
  return Object.entries(counts).some(([table, n]) => n > 0 && !bookkeeping.has(table));
}

/** Idempotent SQL recreating the database's own roles (attributes and memberships, never passwords). */
export async function rolesSql(conn: Conn): Promise<string> {
  const roles = await conn.query<{ rolname: string; rolcanlogin: boolean; rolinherit: boolean; rolbypassrls: boolean }>(
    `SELECT rolname, rolcanlogin, rolinherit, rolbypassrls FROM pg_roles
      WHERE rolname !~ '^pg_' AND NOT rolsuper ORDER BY rolname`);
  const members = await conn.query<{ role: string; member: string }>(
    `SELECT r.rolname AS role, m.rolname AS member FROM pg_auth_members a
       JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member
      WHERE r.rolname !~ '^pg_' AND NOT r.rolsuper AND NOT m.rolsuper AND m.rolname !~ '^pg_' ORDER BY 1, 2`);
  const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const lines = roles.rows.map((r) => {
    const attrs = [r.rolcanlogin ? 'LOGIN' : 'NOLOGIN', r.rolinherit ? 'INHERIT' : 'NOINHERIT', r.rolbypassrls ? 'BYPASSRLS' : ''].filter(Boolean).join(' ');
    return `  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${lit(r.rolname)}) THEN CREATE ROLE ${quote(r.rolname)} ${attrs}; END IF;`;
  });
  const grants = members.rows.map((m) => `GRANT ${quote(m.role)} TO ${quote(m.member)};`);
  if (lines.length === 0) return '';
  return `DO $pesquel$\nBEGIN\n${lines.join('\n')}\nEND\n$pesquel$;\n${grants.join('\n')}\n`;
}

/**
 * Empties the database for a restore over it: every non-system schema, every extension but plpgsql,
 * and the public schema (recreated as PostgreSQL 15+ creates it).
 */
export const unsafeWipeSql = `DO $pesquel$
DECLARE r record;
BEGIN
  FOR r IN SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' LOOP
    EXECUTE format('DROP EXTENSION IF EXISTS %I CASCADE', r.extname);
  END LOOP;
  FOR r IN SELECT nspname FROM pg_namespace
            WHERE nspname NOT IN ('public', 'information_schema') AND nspname NOT LIKE 'pg\\_%' LOOP
    EXECUTE format('DROP SCHEMA %I CASCADE', r.nspname);
  END LOOP;
  DROP SCHEMA IF EXISTS public CASCADE;
  CREATE SCHEMA public AUTHORIZATION pg_database_owner;
  GRANT USAGE ON SCHEMA public TO PUBLIC;
END
$pesquel$`;
