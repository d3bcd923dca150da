// Read replicas behind one Db (db-replica-uris): a request that may read from a replica goes to the
// next healthy one in turn; writes, catalog loads, LISTEN and every other connection use the primary.
import { ApiError } from '../errors/api-error.js';
import type { BackendState, Conn, Db, PoolStats, QueryResult, RequestResult, RequestTx } from './types.js';

/** One server and what the routing counted on it. */
interface Backend {
  readonly name: string;
  readonly address: string;
  readonly db: Db;
  requests: number;
  errors: number;
}

/** What routing needs of a replica's health check (replica-health.ts). */
export interface ReplicaHealthView {
  readonly healthy: boolean;
  readonly lagSeconds: number | null;
  markDown(reason: string): void;
  close(): Promise<void>;
}

export interface Replica {
  readonly name: string;
  readonly address: string;
  readonly db: Db;
  readonly health: ReplicaHealthView;
}

type ReplicaBackend = Backend & { readonly health: ReplicaHealthView };

/** The connection is gone or could not be made (PostgresDb answers API requests with PGRST000 then). */
const connectionFailed = (err: unknown) => err instanceof ApiError && err.code === 'PGRST000';
/** A standby cancelled the read to replay WAL it conflicted with: the same read runs on the primary. */
const recoveryConflict = (err: unknown) => !(err instanceof ApiError) && (err as { code?: unknown } | null)?.code === '40001';
const poolTimeout = (err: unknown) => err instanceof ApiError && err.code === 'PGRST003';
/** Failures of the server rather than of the request (SQL errors of the request itself are not counted). */
const backendFault = (err: unknown) => connectionFailed(err) || recoveryConflict(err) || poolTimeout(err);

export class RoutedDb implements Db {
  readonly kind = 'postgres' as const;
  private readonly primary: Backend;
  private readonly replicas: readonly ReplicaBackend[];
  private next = 0;
  /** The primary's last API request failed to connect (for the metrics' health; /ready pings it). */
  private primaryDown = false;

  constructor(primary: { readonly address: string; readonly db: Db }, replicas: readonly Replica[]) {
    this.primary = { name: 'primary', address: primary.address, db: primary.db, requests: 0, errors: 0 };
    this.replicas = replicas.map((r) => ({ ...r, requests: 0, errors: 0 }));
  }

  /**
   * `GET /todos` (replicaOk) → the next healthy replica; a replica whose connection fails is marked
   * down and the read runs again on another one or on the primary, so the client never sees it.
   * Everything else, and every read while no replica is healthy → the primary.
   */
  request(tx: RequestTx): Promise<RequestResult> {
    return tx.replicaOk === true ? this.read(tx, []) : this.onPrimary(tx);
  }

  private async read(tx: RequestTx, tried: readonly ReplicaBackend[]): Promise<RequestResult> {
    const replica = this.pick(tried);
    if (replica === undefined) return this.onPrimary(tx);
    try {
      return await this.run(replica, tx);
    } catch (err) {
      // A pool timeout is retried only once the health check has taken the replica out (a host that
      // drops packets: connections neither open nor fail); on a healthy one it means it is busy.
      const elsewhere = connectionFailed(err) || recoveryConflict(err) || (poolTimeout(err) && !replica.health.healthy);
      if (!elsewhere || tx.clientGone?.gone === true) throw err;
      if (connectionFailed(err)) replica.health.markDown('a request lost its connection or could not connect');
      return this.read(tx, [...tried, replica]);
    }
  }

  private pick(tried: readonly ReplicaBackend[]): ReplicaBackend | undefined {
    const n = this.replicas.length;
    for (let i = 0; i < n; i++) {
      const r = this.replicas[(this.next + i) % n] as ReplicaBackend;
      if (r.health.healthy && !tried.includes(r)) {
        this.next = (this.next + i + 1) % n;
        return r;
      }
    }
    return undefined;
  }

  private async onPrimary(tx: RequestTx): Promise<RequestResult> {
    try {
      const result = await this.run(this.primary, tx);
      this.primaryDown = false;
      return result;
    } catch (err) {
      if (connectionFailed(err)) this.primaryDown = true;
      throw err;
    }
  }

  private async run(b: Backend, tx: RequestTx): Promise<RequestResult> {
    b.requests++;
    try {
      return await b.db.request(tx);
    } catch (err) {
      if (backendFault(err)) b.errors++;
      throw err;
    }
  }

  withConnection<T>(fn: (conn: Conn) => Promise<T>): Promise<T> {
    return this.primary.db.withConnection(fn);
  }

  query<R = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<QueryResult<R>> {
    return this.primary.db.query<R>(text, values);
  }

  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
    return this.primary.db.listen(channel, onPayload);
  }

  usePreparedStatements(on: boolean): void {
    for (const b of [this.primary, ...this.replicas]) b.db.usePreparedStatements?.(on);
  }

  /** The primary's pool (each replica has a pool of the same size of its own). */
  poolStats(): PoolStats {
    return this.primary.db.poolStats();
  }

  /** /ready: the primary must answer; replicas are optional (reads fall back to the primary). */
  ping(timeoutMs: number): Promise<boolean> {
    return this.primary.db.ping(timeoutMs);
  }

  backends(): readonly BackendState[] {
    const state = (b: Backend, healthy: boolean, lagSeconds: number | null): BackendState =>
      ({ name: b.name, address: b.address, healthy, lagSeconds, requests: b.requests, errors: b.errors });
    return [state(this.primary, !this.primaryDown, null), ...this.replicas.map((r) => state(r, r.health.healthy, r.health.lagSeconds))];
  }

  async close(): Promise<void> {
    await Promise.all(this.replicas.map((r) => r.health.close()));
    await Promise.all([this.primary, ...this.replicas].map((b) => b.db.close()));
  }
}
