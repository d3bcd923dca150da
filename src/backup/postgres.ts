// Backup of a PostgreSQL server with pg_dump's custom format. A REPEATABLE READ transaction
// exports its snapshot; the row counts are taken in it and pg_dump --snapshot dumps that same
// state, so the restore check compares like with like. Needs a direct connection (not pgBouncer).
import pg from 'pg';
import type { Conn } from '../db/types.js';
import { rowCounts, rolesSql } from './catalog.js';
import { connectionArgs, findPgTool, runTool } from './tools.js';
import { writeBackup, type BackupResult, type BackupTarget } from './write.js';

export function clientConn(client: pg.Client): Conn {
  return {
    query: async (text, values) => {
      const r = await client.query(text, values as unknown[] | undefined);
      return { rows: r.rows, rowCount: r.rowCount ?? r.rows.length };
    },
    exec: async (script) => {
      const r = (await client.query(script)) as unknown as pg.QueryResult | pg.QueryResult[];
      return (Array.isArray(r) ? r : [r]).map((x) => ({ rows: x.rows as Record<string, unknown>[], rowCount: x.rowCount ?? x.rows.length }));
    },
  };
}

export async function serverMajor(conn: Conn): Promise<{ major: number; version: string }> {
  const r = await conn.query<{ n: string; v: string }>(`SELECT current_setting('server_version_num') AS n, current_setting('server_version') AS v`);
  return { major: Math.floor(Number(r.rows[0]?.n) / 10000), version: String(r.rows[0]?.v) };
}

export async function backupPostgres(uri: string, target: BackupTarget, opts: { docker?: boolean } = {}): Promise<BackupResult> {
  const client = new pg.Client({ connectionString: uri, application_name: 'pesquel-backup' });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const conn = clientConn(client);
    const { major, version } = await serverMajor(conn);
    const tool = findPgTool('pg_dump', major, opts.docker);
    if (!tool) {
      throw new Error(`no pg_dump for PostgreSQL ${major} or newer here: install postgresql-client-${major}, or run the backup in the compose stack (docker compose must be available)`);
    }
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const snapshot = String((await client.query<{ s: string }>('SELECT pg_export_snapshot() AS s')).rows[0]?.s);
    const counts = await rowCounts(conn);
    const roles = await rolesSql(conn);
    const { args, env } = connectionArgs(tool, uri);
    const result = await writeBackup(target, { kind: 'pg-custom', source: 'postgres', serverVersion: version, rolesSql: roles, rowCounts: counts },
      (tmp) => runTool(tool, ['--format=custom', '--compress=6', `--snapshot=${snapshot}`, '--no-password', ...args], env, { outFile: tmp }).then(() => undefined));
    await client.query('COMMIT');
    return result;
  } finally {
    await client.end().catch(() => undefined);
  }
}
