// Secrets of the streaming replicas (`pesquel setup --pg-replicas M`): the replication role's password,
// its SCRAM secret for the primary, the replicas' passfile, and PeSquel's db-replica-uris. Created once
// replicas are asked for, kept (never printed) afterwards; derived files follow their sources.
import { join } from 'node:path';
import { CliError } from '../cli-error.js';
import { PROJECT } from './compose.js';
import type { ApiDbRoute } from './compose.js';
import { createFile, readIfExists, readSecret, replaceFile, restrictMode } from './files.js';
import { randomAlphanumeric } from './random.js';
import { scramMatches, scramSecret } from './scram.js';
import type { PrimaryValues } from './secrets.js';
import { dbUri } from './derived.js';

/** The role the replicas stream as (REPLICATION LOGIN, nothing else). */
export const REPLICATION_USER = 'replicator';
export const REPLICATION_PASSWORD_FILE = 'replication_password.txt';
export const REPLICATION_DERIVED_FILES = ['replication_scram.txt', 'replication_pgpass.txt', 'pesquel_db_replica_uris.txt'] as const;
export const REPLICATION_FILES: readonly string[] = [REPLICATION_PASSWORD_FILE, ...REPLICATION_DERIVED_FILES];

/** Which service of deploy/docker-compose.replicas.yml reads which file (restarts after a change). */
export const REPLICA_SERVICE_SECRET_FILES: Readonly<Record<string, readonly string[]>> = {
  postgres: ['replication_scram.txt'],
  'postgres-replica': ['replication_pgpass.txt'],
  pesquel: ['pesquel_db_replica_uris.txt'],
};

/** Compose v2 names the i-th container of a scaled service `<project>-<service>-<i>`; Docker DNS resolves it. */
export function replicaHost(index: number): string {
  return `${PROJECT}-postgres-replica-${index}`;
}

/**
 * db-replica-uris: each replica, directly or through its own pool of pgbouncer-replicas (database
 * replica-<i>, pgbouncer-replicas.ts), so that PeSquel checks and balances every replica by itself.
 * Example: 2 replicas, direct → 'postgres://authenticator:…@pesquel-postgres-replica-1:5432/pesquel,…-2:5432/pesquel'
 *          through pgBouncer → 'postgres://authenticator:…@pgbouncer-replicas:6432/replica-1,…/replica-2'
 */
export function replicaUris(v: PrimaryValues, replicas: number, apiDb: ApiDbRoute): string {
  return Array.from({ length: replicas }, (_, i) => apiDb === 'pgbouncer'
    ? dbUri({ ...v, postgresDb: `replica-${i + 1}` }, 'pgbouncer-replicas', 6432)
    : dbUri(v, replicaHost(i + 1), 5432)).join(',');
}

/** A libpq passfile line: `:` and `\` escaped. Only the replication connection to `postgres` matches. */
export function replicationPassfile(password: string): string {
  const esc = (s: string): string => s.replace(/[\\:]/g, (c) => `\\${c}`);
  return `postgres:5432:replication:${REPLICATION_USER}:${esc(password)}\n`;
}

export type ReplicationFiles = { created: string[]; changed: string[] };

/** Creates the password when missing and brings the derived files in line. Returns what it wrote. */
export function writeReplicationFiles(dir: string, v: PrimaryValues, replicas: number, apiDb: ApiDbRoute): ReplicationFiles {
  const result: ReplicationFiles = { created: [], changed: [] };
  const pwPath = join(dir, REPLICATION_PASSWORD_FILE);
  if (createFile(pwPath, randomAlphanumeric(32))) result.created.push(REPLICATION_PASSWORD_FILE);
  else restrictMode(pwPath);
  const password = readSecret(pwPath, REPLICATION_PASSWORD_FILE);
  if (/[^\x21-\x7e]/.test(password)) {
    throw new CliError(`secrets/${REPLICATION_PASSWORD_FILE} must be printable ASCII without spaces (it is hashed for SCRAM without SASLprep).`);
  }
  const put = (name: string, content: string): void => {
    if (replaceFile(join(dir, name), content)) result.changed.push(name);
  };
  const old = readIfExists(join(dir, 'replication_scram.txt'))?.trim();
  put('replication_scram.txt', old !== undefined && scramMatches(old, password) ? old : scramSecret(password));
  put('replication_pgpass.txt', replicationPassfile(password));
  put('pesquel_db_replica_uris.txt', replicaUris(v, replicas, apiDb));
  return result;
}
