// Watches one read replica on a connection of its own: whether it answers and how far its replay
// lags, every half second. Routing (routed.ts) sends reads only to a replica this calls healthy.
import pg from 'pg';
import { guardClient } from './pg-faults.js';

/**
 * Replay lag in seconds. `pg_last_xact_replay_timestamp()` is the commit time of the last replayed
 * transaction, so on an idle primary it grows old while the replica misses nothing: a replica that
 * has replayed everything it received is caught up (lag 0). `>=`, not `=`: after a restart the
 * receive position starts at the beginning of its WAL segment, behind what was replayed already. A
 * server not in recovery (a promoted replica, or a primary given as a replica) has no lag. NULL:
 * received WAL not replayed and no replayed commit to date it by (unknown, so not healthy).
 */
export const unsafeReplicaLagSql = `SELECT CASE
  WHEN NOT pg_is_in_recovery() THEN 0::float8
  WHEN pg_last_wal_replay_lsn() >= pg_last_wal_receive_lsn() THEN 0::float8
  ELSE greatest(0, extract(epoch FROM now() - pg_last_xact_replay_timestamp()))::float8
END AS lag`;

export interface ReplicaHealthOptions {
  readonly uri: string;
  readonly maxLagSeconds: number;
  /** Pause between two checks (default 500 ms). */
  readonly intervalMs?: number;
  /** Bound on connecting and on the check query (default 2000 ms). */
  readonly timeoutMs?: number;
  /** Called when the replica becomes healthy (with its lag) or stops being healthy (with why). */
  readonly onChange: (healthy: boolean, detail: { readonly lagSeconds: number | null; readonly reason: string }) => void;
}

export class ReplicaHealth {
  healthy = false;
  lagSeconds: number | null = null;
  /** Bumped by markDown: a check that started before it must not mark the replica up again. */
  private epoch = 0;
  private client: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  /** The first result is reported whatever it is: a replica down at start is worth a log line too. */
  private reported = false;
  /** Settles after the first check (pesquel start waits for it, so reads use replicas at once). */
  readonly firstCheck: Promise<void>;

  constructor(private readonly opts: ReplicaHealthOptions) {
    this.firstCheck = this.check();
  }

  /** The routed Db saw this replica fail a request: no reads until a check passes again. */
  markDown(reason: string): void {
    this.epoch++;
    this.set(false, null, reason);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.drop();
  }

  private set(healthy: boolean, lag: number | null, reason: string): void {
    this.lagSeconds = lag;
    if (healthy === this.healthy && this.reported) return;
    this.reported = true;
    this.healthy = healthy;
    if (!this.closed) this.opts.onChange(healthy, { lagSeconds: lag, reason });
  }

  private async check(): Promise<void> {
    const epoch = this.epoch;
    try {
      const client = this.client ?? (await this.connect());
      const { rows } = await client.query<{ lag: number | null }>(unsafeReplicaLagSql);
      const lag = rows[0]?.lag ?? null;
      if (epoch !== this.epoch) return;
      if (lag === null) this.set(false, null, 'replay lag unknown (WAL received but not replayed, no replayed commit)');
      else if (lag > this.opts.maxLagSeconds) this.set(false, lag, `replay lag ${lag.toFixed(1)} s exceeds db-replica-max-lag (${this.opts.maxLagSeconds} s)`);
      else this.set(true, lag, 'caught up');
    } catch (err) {
      await this.drop();
      if (epoch === this.epoch) this.set(false, null, err instanceof Error ? err.message : String(err));
    } finally {
      this.schedule();
    }
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => void this.check(), this.opts.intervalMs ?? 500);
    this.timer.unref();
  }

  private async connect(): Promise<pg.Client> {
    const timeout = this.opts.timeoutMs ?? 2000;
    const client = new pg.Client({
      connectionString: this.opts.uri, application_name: 'pesquel-replica-health',
      // query_timeout is the client's own: a statement_timeout startup parameter would be refused
      // by pgBouncer in front of a replica (unsupported startup parameter).
      connectionTimeoutMillis: timeout, query_timeout: timeout,
    });
    // The 'error' that follows a lost session fails the next check, which reconnects.
    guardClient(client, () => undefined);
    try {
      await client.connect();
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      throw new Error('closed');
    }
    this.client = client;
    return client;
  }

  private async drop(): Promise<void> {
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => undefined);
  }
}
