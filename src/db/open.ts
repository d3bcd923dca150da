// Opens the database the configuration names: PostgreSQL by db-uri, else embedded PGlite in data-dir.
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
