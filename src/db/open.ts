// Opens the database the configuration names: PostgreSQL by db-uri, else embedded PGlite in data-dir.
import pg from 'pg';
import type { Config } from '../config/config.js';
import type { DataDirLock } from './data-dir.js';
import { PgliteDb } from './pglite.js';
import { PostgresDb } from './postgres.js';
import type { Db, DbEvent } from './types.js';

/** `lock`: the data directory's lock when the caller took it already (pesquel start does, first). */
export async function openDb(config: Config, onEvent?: (e: DbEvent) => void, lock?: DataDirLock | null): Promise<Db> {
  if (config.dbUri === null) return lock ? PgliteDb.open(config.dataDir, lock) : PgliteDb.open(config.dataDir);
  return new PostgresDb({
    uri: config.dbUri,
    listenUri: config.dbListenUri,
    poolSize: config.dbPool,
    acquisitionTimeoutMs: config.dbPoolAcquisitionTimeout * 1000,
    idleTimeoutMs: config.dbPoolMaxIdletime * 1000,
    onEvent,
  });
}

/**
 * Server mode: connects once and disconnects, so that a wrong password or an unreachable server
 * stops a start at once with the driver's own error (code 28P01, 3D000, ECONNREFUSED, …) rather
 * than as a pool's "retrying the connection" later.
 */
export async function checkServerReachable(config: Config): Promise<void> {
  if (config.dbUri === null) return;
  const client = new pg.Client({ connectionString: config.dbUri, connectionTimeoutMillis: config.dbPoolAcquisitionTimeout * 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } finally {
    await client.end().catch(() => undefined);
  }
}
