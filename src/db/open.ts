// Opens the database the configuration names: PostgreSQL by db-uri (with its read replicas,
// db-replica-uris, behind a routed Db), else embedded PGlite in data-dir.
import pg from 'pg';
import type { Config } from '../config/config.js';
import type { DataDirLock } from './data-dir.js';
import { PgliteDb } from './pglite.js';
import { PostgresDb } from './postgres.js';
import { ReplicaHealth } from './replica-health.js';
import { RoutedDb, type Replica } from './routed.js';
import type { Db, DbEvent } from './types.js';

/** `lock`: the data directory's lock when the caller took it already (pesquel start does, first). */
export async function openDb(config: Config, onEvent?: (e: DbEvent) => void, lock?: DataDirLock | null): Promise<Db> {
  if (config.dbUri === null) return lock ? PgliteDb.open(config.dataDir, lock) : PgliteDb.open(config.dataDir);
  const primary = postgresDb(config, config.dbUri, onEvent);
  if (config.dbReplicaUris === null || config.dbReplicaUris.length === 0) return primary;
  const replicas = config.dbReplicaUris.map((uri, i) => openReplica(config, uri, `replica-${i + 1}`, onEvent));
  // Reads go to replicas from the first request on; one that is down now joins when it answers.
  await Promise.all(replicas.map((r) => r.health.firstCheck));
  return new RoutedDb({ address: uriAddress(config.dbUri), db: primary }, replicas);
}

/** `replica`: no LISTEN (schema reloads listen on the primary), its own application_name. */
function postgresDb(config: Config, uri: string, onEvent?: (e: DbEvent) => void, replica = false): PostgresDb {
  return new PostgresDb({
    uri,
    listenUri: replica ? null : config.dbListenUri,
    poolSize: config.dbPool,
    acquisitionTimeoutMs: config.dbPoolAcquisitionTimeout * 1000,
    idleTimeoutMs: config.dbPoolMaxIdletime * 1000,
    maxLifetimeSeconds: config.dbPoolMaxLifetime,
    preparedStatements: config.dbPreparedStatements,
    ...(replica ? { applicationName: 'pesquel-replica' } : {}),
    onEvent,
  });
}

/** A replica: its own pool of db-pool connections, and a health check on a connection of its own. */
function openReplica(config: Config, uri: string, name: string, onEvent?: (e: DbEvent) => void): Replica & { readonly health: ReplicaHealth } {
  const health = new ReplicaHealth({
    uri,
    maxLagSeconds: config.dbReplicaMaxLag,
    onChange: (healthy, d) => onEvent?.(healthy
      ? { type: 'replica-up', backend: name, lagSeconds: d.lagSeconds ?? 0 }
      : { type: 'replica-down', backend: name, reason: d.reason }),
  });
  const db = postgresDb(config, uri, (e) => {
    // A pooled connection to it broke (restart, shutdown): no reads until a check passes again.
    if (e.type === 'connection-error') health.markDown(e.message);
    onEvent?.(e.type === 'connection-error' ? { ...e, message: `${name}: ${e.message}`, replica: name } : e);
  }, true);
  return { name, address: uriAddress(uri), db, health };
}

/**
 * Where a URI points, without its credentials, for /ready and /metrics.
 * Example: postgres://app:secret@db-ro:5432/app → db-ro:5432/app
 */
export function uriAddress(uri: string): string {
  try {
    const u = new URL(uri.replace(/^([a-z]+:\/\/)[^@/?#]*@/i, '$1')); // no credentials, even for parsing
    const host = u.hostname !== '' ? u.hostname : u.searchParams.get('host') ?? 'localhost';
    return `${host}:${u.port === '' ? '5432' : u.port}${u.pathname === '/' ? '' : decodeURIComponent(u.pathname)}`;
  } catch {
    return 'unparsable URI';
  }
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
