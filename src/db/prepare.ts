// Prepares the configured database at start (db-init): internal migrations and the seed, run on the
// API's own database, except in server mode with admin-db-uri set, where they run over that
// connection (the compose stack's superuser), since the authenticator may not create roles or schemas.
import type { Config } from '../config/config.js';
import { prepareDatabase, type InitResult } from './init.js';
import { PostgresDb } from './postgres.js';
import type { Db } from './types.js';

export async function prepareConfiguredDatabase(config: Config, db: Db): Promise<InitResult> {
  const schema = config.dbSchemas[0] ?? 'api';
  if (db.kind !== 'postgres' || config.adminDbUri === null) return prepareDatabase(db, schema);
  const maintenance = new PostgresDb({
    uri: config.adminDbUri,
    poolSize: 1,
    acquisitionTimeoutMs: config.dbPoolAcquisitionTimeout * 1000,
    idleTimeoutMs: 1000,
    applicationName: 'pesquel-init',
  });
  try {
    return await prepareDatabase(maintenance, schema);
  } finally {
    await maintenance.close();
  }
}
