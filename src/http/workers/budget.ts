// The connection budget of N workers: each opens up to db-pool connections plus one for LISTEN
// (db-channel-enabled), so the server must have workers × (db-pool + 1) free. Checked once by the
// primary before it starts the workers; too few free is a warning (pgBouncer may sit in front).
import type { Config } from '../../config/config.js';
import { openDb } from '../../db/open.js';

export interface ConnectionBudget {
  /** Connections the workers may open. */
  readonly needed: number;
  /** max_connections minus the reserved ones minus those open now (this check's own excluded). */
  readonly free: number;
  readonly maxConnections: number;
}

/** `workers × (db-pool + 1 LISTEN)`; 4 workers with db-pool 10 → 44. */
export const connectionsNeeded = (workers: number, config: Pick<Config, 'dbPool' | 'dbChannelEnabled'>) =>
  workers * (config.dbPool + (config.dbChannelEnabled ? 1 : 0));

// reserved_connections exists from PostgreSQL 16 on (missing_ok: NULL before).
const budgetSql = `SELECT current_setting('max_connections')::int AS max,
  current_setting('superuser_reserved_connections')::int + coalesce(current_setting('reserved_connections', true)::int, 0) AS reserved,
  (SELECT count(*)::int FROM pg_stat_activity WHERE backend_type = 'client backend') AS used`;

/** Asks the server (one connection, closed again) how many connections the workers may still open. */
export async function connectionBudget(config: Config, workers: number): Promise<ConnectionBudget> {
  const db = await openDb({ ...config, dbPool: 1 });
  try {
    const r = await db.query<{ max: number; reserved: number; used: number }>(budgetSql);
    const row = r.rows[0];
    if (row === undefined) throw new Error('the server did not answer the connection budget query');
    const free = row.max - row.reserved - Math.max(0, row.used - 1);
    return { needed: connectionsNeeded(workers, config), free, maxConnections: row.max };
  } finally {
    await db.close();
  }
}

/** The warning to log, or null when the budget fits. */
export function budgetWarning(b: ConnectionBudget, workers: number, pool: number): string | null {
  if (b.needed <= b.free) return null;
  return `${workers} workers × (db-pool ${pool} + 1 LISTEN) = ${b.needed} connections, but the server has ${b.free} free `
    + `(max_connections ${b.maxConnections}): requests may wait for connections or fail; lower --workers or db-pool, raise max_connections, or put pgBouncer in front`;
}
