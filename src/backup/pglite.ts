// Backup of the embedded database without stopping the API: while PeSquel's session mutex is held
// (requests wait a moment), count rows and run pg_dump (PostgreSQL 17's, compiled to WASM by
// @electric-sql/pglite-tools) on the same session, so the dump and the counts see one state.
import { gzipSync } from 'node:zlib';
import { pgDump } from '@electric-sql/pglite-tools/pg_dump';
import type { PgliteDb } from '../db/pglite.js';
import { rowCounts, rolesSql } from './catalog.js';
import { writeBackup, writePrivate, type BackupResult, type BackupTarget } from './write.js';

// --inserts is added by pglite-tools: plain INSERTs restore through exec() on PGlite and on pg alike.
const dumpArgs = ['--no-owner', '--quote-all-identifiers'];

export async function backupPglite(db: PgliteDb, target: BackupTarget): Promise<BackupResult> {
  const state = await db.withConnection(async (conn) => {
    const counts = await rowCounts(conn);
    const roles = await rolesSql(conn);
    const version = String((await conn.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? '');
    // pg_dump leaves session settings behind (row_security = off, search_path = '', timeouts…) on
    // the session the API shares: note the session's own settings to put them back afterwards.
    const session = (await conn.query<{ name: string; setting: string }>(`SELECT name, setting FROM pg_settings WHERE source = 'session'`)).rows;
    const warn = console.warn;
    // pglite-tools prints a warning about the search_path it changes; settings are restored below.
    console.warn = () => undefined;
    let dump: string;
    try {
      dump = await (await pgDump({ pg: db.pg, args: dumpArgs })).text();
    } finally {
      console.warn = warn;
      // pg_dump also leaves its read-only snapshot transaction open: end it first, or the
      // RESET below would be rolled back with it.
      if (db.pg.isInTransaction()) await conn.exec('ROLLBACK');
      await conn.exec('RESET ALL');
      for (const { name, setting } of session) await conn.query('SELECT set_config($1, $2, false)', [name, setting]);
    }
    return { counts, roles, version, dump };
  });
  const text = `-- PeSquel backup of the embedded database (PostgreSQL ${state.version}).\n-- Roles the dump grants to:\n${state.roles}\n${state.dump}`;
  return writeBackup(target, { kind: 'sql-gzip', source: 'pglite', serverVersion: state.version, rolesSql: state.roles, rowCounts: state.counts },
    async (tmp) => writePrivate(tmp, gzipSync(Buffer.from(text, 'utf8'))));
}
