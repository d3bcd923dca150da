// The restore check: restores a backup into a scratch database — an in-memory PGlite for SQL
// dumps, a temporary database on the configured server for custom-format dumps — and compares
// the row count of every table with the manifest. The scratch database is always removed.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PgliteDb } from '../db/pglite.js';
import { PostgresDb } from '../db/postgres.js';
import { restoreBackup, RestoreError, type CountCheck, type LoadedBackup } from './restore.js';

export async function checkBackup(b: LoadedBackup, uri: string | null, docker = false): Promise<CountCheck> {
  if (!b.manifest) throw new RestoreError(`${b.path} has no manifest (${b.path}.json): there are no row counts to check against`);
  if (b.kind === 'sql-gzip') {
    const db = await PgliteDb.open(null);
    try {
      return await restoreBackup(db, b, { replace: true, channel: null, uri: null });
    } finally {
      await db.close();
    }
  }
  if (uri === null) throw new RestoreError('checking a custom-format backup needs a PostgreSQL server to restore into (--db-url)');
  const name = `pesquel_restore_check_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: uri });
  admin.on('error', () => undefined);
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
    const scratch = new URL(uri);
    scratch.pathname = `/${name}`;
    const db = new PostgresDb({ uri: scratch.toString(), poolSize: 1, acquisitionTimeoutMs: 10_000, idleTimeoutMs: 1000 });
    try {
      return await restoreBackup(db, b, { replace: true, channel: null, uri: scratch.toString(), docker });
    } finally {
      await db.close();
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
    await admin.end().catch(() => undefined);
  }
}
