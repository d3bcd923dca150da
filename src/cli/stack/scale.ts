// How far the compose stack scales out: N PeSquel containers behind Traefik (--api-instances) and M
// streaming replicas of PostgreSQL (--pg-replicas). Setup remembers the choice in secrets/scale.json.
import { join } from 'node:path';
import { CliError } from '../cli-error.js';
import { readIfExists, replaceFile } from './files.js';

export type Scale = { readonly apiInstances: number; readonly pgReplicas: number };

export const DEFAULT_SCALE: Scale = { apiInstances: 1, pgReplicas: 0 };
/** More API containers than this belong on several hosts (docs/deployment.md, Kubernetes). */
export const MAX_API_INSTANCES = 64;
/** PostgreSQL's max_wal_senders is 10: M replicas plus two for a pg_basebackup in progress. */
export const MAX_PG_REPLICAS = 8;
export const SCALE_FILE = 'scale.json';

/** `--api-instances 3` → 3; refuses anything but an integer in [min, max] with one line. */
export function countOption(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new CliError(`--${name} must be a whole number from ${min} to ${max}, not '${value}'.`, 2);
  }
  return n;
}

function isCount(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;
}

/** The scale a previous setup recorded (the defaults when none did); a damaged file is an error. */
export function readScale(secretsDir: string): Scale {
  const text = readIfExists(join(secretsDir, SCALE_FILE));
  if (text === undefined) return DEFAULT_SCALE;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = undefined;
  }
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  if (!isCount(r.apiInstances, 1, MAX_API_INSTANCES) || !isCount(r.pgReplicas, 0, MAX_PG_REPLICAS)) {
    throw new CliError(`secrets/${SCALE_FILE} is not valid: delete it, or give --api-instances and --pg-replicas again.`);
  }
  return { apiInstances: r.apiInstances, pgReplicas: r.pgReplicas };
}

/** Flags win over the recorded scale, which wins over the defaults. */
export function chooseScale(flags: { apiInstances?: number | undefined; pgReplicas?: number | undefined }, recorded: Scale): Scale {
  return { apiInstances: flags.apiInstances ?? recorded.apiInstances, pgReplicas: flags.pgReplicas ?? recorded.pgReplicas };
}

/** Records the scale once it differs from the defaults (a stack never scaled keeps no file). */
export function writeScale(secretsDir: string, scale: Scale): boolean {
  const path = join(secretsDir, SCALE_FILE);
  const isDefault = scale.apiInstances === DEFAULT_SCALE.apiInstances && scale.pgReplicas === DEFAULT_SCALE.pgReplicas;
  if (isDefault && readIfExists(path) === undefined) return false;
  return replaceFile(path, `${JSON.stringify({ apiInstances: scale.apiInstances, pgReplicas: scale.pgReplicas })}\n`);
}

/** Per API container (deploy/docker-compose.yml): db-pool 10, one LISTEN connection, the admin UI's pool of 3. */
export const CONNECTIONS_PER_INSTANCE = { pool: 10, listen: 1, admin: 3 } as const;
/** PostgreSQL's default max_connections (100) less superuser_reserved_connections (3). */
export const PRIMARY_CONNECTION_BUDGET = 97;
/** pgBouncer's server connections per (user, database): default_pool_size + reserve_pool_size. */
export const PGBOUNCER_SERVER_CONNECTIONS = 25;

/**
 * Connections the API containers open to the primary. Through pgBouncer the pools share its 25
 * server connections; LISTEN and the admin UI always connect directly.
 * Example: 8 instances, direct → 8 × (10 + 1 + 3) = 112.
 */
export function primaryConnections(apiInstances: number, apiDb: 'postgres' | 'pgbouncer'): number {
  const c = CONNECTIONS_PER_INSTANCE;
  const direct = apiInstances * (c.listen + c.admin);
  return apiDb === 'pgbouncer' ? direct + PGBOUNCER_SERVER_CONNECTIONS : direct + apiInstances * c.pool;
}

/** One warning line when the API could exhaust the primary's max_connections, else none. */
export function connectionWarning(apiInstances: number, apiDb: 'postgres' | 'pgbouncer'): string[] {
  const n = primaryConnections(apiInstances, apiDb);
  if (n <= PRIMARY_CONNECTION_BUDGET) return [];
  const hint = apiDb === 'postgres' ? ' Use --api-db pgbouncer, or raise max_connections.' : ' Raise max_connections.';
  return [`Warning: ${apiInstances} API instances may open ${n} connections to PostgreSQL, more than its ${PRIMARY_CONNECTION_BUDGET} (max_connections 100).${hint}`];
}
