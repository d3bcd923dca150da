// Opens the database the configuration names: PostgreSQL by db-uri, else embedded PGlite in data-dir.
import type { Config } from '../config/config.js';
import { PgliteDb } from './pglite.js';
import { PostgresDb } from './postgres.js';
import type { Db, DbEvent } from './types.js';

export async function openDb(config: Config, onEvent?: (e: DbEvent) => void): Promise<Db> {
  if (config.dbUri === null) return PgliteDb.open(config.dataDir);
  return new PostgresDb({
    uri: config.dbUri,
    listenUri: config.dbListenUri,
    poolSize: config.dbPool,
    acquisitionTimeoutMs: config.dbPoolAcquisitionTimeout * 1000,
    idleTimeoutMs: config.dbPoolMaxIdletime * 1000,
    onEvent,
  });
}
