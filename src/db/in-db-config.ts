// Reads PostgREST's in-database configuration (db-config): the `pgrst.*` settings of the authenticator
// role (ALTER ROLE … SET, database-specific ones first), and what the db-pre-config function sets.
import { render, type Sql } from '../sql/sql.js';
import type { Db } from './types.js';

/**
 * $1: the setting names asked for; $2: the role (null: the connection's own, the db-uri user);
 * $3: whether the pre-config function ran in this transaction (its set_config values count then).
 * A role setting for this database beats one for every database, and both beat the function's (PostgREST's order).
 */
const inDbSettingsSql = `
WITH role_setting AS (
  SELECT s.setdatabase AS database, unnest(s.setconfig) AS setting
  FROM pg_catalog.pg_db_role_setting s
  WHERE s.setrole = (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = coalesce($2::text, current_user))
    AND s.setdatabase IN (0, (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database()))
), pairs AS (
  SELECT database, split_part(setting, '=', 1) AS name, substr(setting, strpos(setting, '=') + 1) AS value FROM role_setting
  UNION ALL
  SELECT NULL::oid, n, pg_catalog.current_setting(n, true) FROM unnest($1::text[]) AS n WHERE $3::boolean
)
SELECT DISTINCT ON (name) name, value FROM pairs
WHERE name = ANY($1::text[]) AND value IS NOT NULL
ORDER BY name, database DESC NULLS LAST`;

export interface InDbRead {
  /** Setting names to read, e.g. `pgrst.db_schemas`. */
  readonly names: readonly string[];
  /** Whose role settings: null for the connection's user (server mode); `authenticator` on the embedded database. */
  readonly role: string | null;
  /** db-pre-config's call (`SELECT "postgrest"."pre_config"()`), or null. */
  readonly preConfig: Sql | null;
}

/**
 * One read-only transaction, rolled back: the pre-config function's set_config(…, true) values live
 * only in it, and nothing it might write stays. Returns the values found, by setting name.
 * Example: ALTER ROLE authenticator SET pgrst.db_max_rows = '1' → Map { 'pgrst.db_max_rows' => '1' }
 */
export function readInDbSettings(db: Db, read: InDbRead): Promise<Map<string, string>> {
  return db.withConnection(async (conn) => {
    await conn.exec('BEGIN READ ONLY');
    try {
      if (read.preConfig !== null) await conn.query(render(read.preConfig).text);
      const r = await conn.query<{ name: string; value: string }>(inDbSettingsSql, [read.names, read.role, read.preConfig !== null]);
      return new Map(r.rows.map((row) => [row.name, row.value]));
    } finally {
      await conn.exec('ROLLBACK').catch(() => undefined);
    }
  });
}
