// PeSquel's Prometheus metrics (prom-client, one registry per server): requests, latency, pool,
// schema cache, auth and backup age. PostgREST's names (pgrst_*) where PostgREST has the metric.
// With several API workers (server-workers), the primary sums the workers' registries (cluster.ts).
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface PoolSample {
  readonly max: number;
  readonly total: number;
  readonly idle: number;
  readonly waiting: number;
}

export interface MetricsSources {
  /** Sampled at scrape time. */
  readonly pool: () => PoolSample;
  /** Time of the newest backup in backup-dir, or null when there is none. */
  readonly lastBackupAt?: () => Promise<Date | null>;
  /** This process's worker slot (1…N) when it is one of several API workers: labels pesquel_worker_requests_total. */
  readonly worker?: number;
  /** The primary and read replicas when reads are routed (db-replica-uris); sampled at scrape time. */
  readonly backends?: () => readonly BackendSample[];
}

/** One database server behind read routing (db/types.ts BackendState). */
export interface BackendSample {
  readonly name: string;
  readonly address: string;
  readonly healthy: boolean;
  readonly lagSeconds: number | null;
  readonly requests: number;
  readonly errors: number;
}

export interface Metrics {
  readonly registry: Registry;
  /**
   * Counts an API request and observes its latency (pesquel_http_requests_total and
   * pesquel_http_request_duration_seconds), and the decision on its JWT (pesquel_auth_total).
   */
  readonly recordRequest: (routeKind: string, method: string, status: number, seconds: number, jwt: JwtOutcome | null) => void;
  readonly poolTimeouts: Counter;
  readonly connectionErrors: Counter;
  readonly schemaLoads: Counter<'status'>;
  readonly schemaQueryTime: Gauge;
  readonly schemaLoadDuration: Histogram;
  readonly auth: Counter<'outcome' | 'method'>;
  readonly listenerReconnects: Counter;
  /** Read replicas leaving (healthy=false) or joining (healthy=true) the rotation. */
  readonly replicaStateChanges: Counter<'backend' | 'healthy'>;
  readonly migrationsApplied: Counter;
  readonly backups: Counter;
}

// Request latencies on one machine span 0.5 ms (cached read) to seconds (pool wait, big export).
const latencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export type JwtOutcome = 'success' | 'failure';

/** Requests gathered before they are handed to prom-client (also at every scrape). */
const REQUEST_BATCH = 256;

interface RequestSlot {
  readonly labels: { readonly route_kind: string; readonly method: string };
  readonly seconds: number[];
  readonly statuses: Map<number, number>;
}

/**
 * Request counts and latencies by route kind and method, kept in plain arrays and handed to
 * prom-client in batches: prom-client checks, hashes and looks up the labels on every
 * observation, which between two requests' socket I/O costs several microseconds with cold caches
 * (about 5 % of a cached GET's server CPU under load); in a batch it is a tight loop. Scrapes flush
 * first (collect), so /metrics is always exact.
 */
function requestRecorder(
  requests: Counter<'route_kind' | 'method' | 'status'>,
  duration: Histogram<'route_kind' | 'method'>,
  auth: Counter<'outcome' | 'method'>,
) {
  const slots = new Map<string, Map<string, RequestSlot>>(); // route kind → method (both from small closed sets)
  const jwt = { success: 0, failure: 0 };
  let pending = 0;
  const flush = (): void => {
    for (const outcome of ['success', 'failure'] as const) {
      if (jwt[outcome] > 0) auth.inc({ outcome, method: 'jwt' }, jwt[outcome]);
      jwt[outcome] = 0;
    }
    for (const byMethod of slots.values()) {
      for (const { labels, seconds, statuses } of byMethod.values()) {
        for (const s of seconds) duration.observe(labels, s);
        seconds.length = 0;
        for (const [status, n] of statuses) requests.inc({ ...labels, status: String(status) }, n);
        statuses.clear();
      }
    }
    pending = 0;
  };
  const record = (routeKind: string, method: string, status: number, seconds: number, outcome: JwtOutcome | null): void => {
    if (outcome !== null) jwt[outcome]++;
    let byMethod = slots.get(routeKind);
    if (byMethod === undefined) slots.set(routeKind, (byMethod = new Map()));
    let slot = byMethod.get(method);
    if (slot === undefined) byMethod.set(method, (slot = { labels: { route_kind: routeKind, method }, seconds: [], statuses: new Map() }));
    slot.seconds.push(seconds);
    slot.statuses.set(status, (slot.statuses.get(status) ?? 0) + 1);
    if (++pending >= REQUEST_BATCH) flush();
  };
  return { record, flush };
}

export function createMetrics(sources: MetricsSources): Metrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry, prefix: 'pesquel_' });

  new Gauge({ name: 'pgrst_db_pool_max', help: 'Maximum number of connections in the pool.', registers,
    collect() { this.set(sources.pool().max); } });
  new Gauge({ name: 'pgrst_db_pool_available', help: 'Pool connections open and idle, ready for a request.', registers,
    collect() { this.set(sources.pool().idle); } });
  new Gauge({ name: 'pgrst_db_pool_waiting', help: 'Requests waiting to acquire a pool connection.', registers,
    collect() { this.set(sources.pool().waiting); } });
  new Gauge({ name: 'pesquel_db_pool_size', help: 'Pool connections currently open (busy or idle).', registers,
    collect() { this.set(sources.pool().total); } });
  const workerRequests = workerCounter(sources.worker, registers);
  if (sources.backends) backendMetrics(sources.backends, registers);

  const lastBackupAt = sources.lastBackupAt;
  if (lastBackupAt) {
    // NaN when backup-dir holds no backup: an alert on `> 86400` stays quiet, `absent`/NaN checks catch it.
    new Gauge({ name: 'pesquel_backup_age_seconds', help: 'Seconds since the newest backup in backup-dir was written (NaN: none).', registers, aggregator: 'min',
      async collect() { const at = await lastBackupAt().catch(() => null); this.set(at ? (Date.now() - at.getTime()) / 1000 : NaN); } });
    new Gauge({ name: 'pesquel_backup_last_timestamp_seconds', help: 'Unix time of the newest backup in backup-dir (0: none).', registers, aggregator: 'max',
      async collect() { const at = await lastBackupAt().catch(() => null); this.set(at ? at.getTime() / 1000 : 0); } });
  }

  let flushRequests = (): void => undefined;
  const requests = new Counter({ name: 'pesquel_http_requests_total', help: 'API requests answered, by route kind, method and status.',
    labelNames: ['route_kind', 'method', 'status'] as const, registers, collect: () => flushRequests() });
  const requestDuration = new Histogram({ name: 'pesquel_http_request_duration_seconds', help: 'API request latency, from request to response.',
    labelNames: ['route_kind', 'method'] as const, buckets: latencyBuckets, registers, collect: () => flushRequests() });
  const auth = new Counter({ name: 'pesquel_auth_total', help: 'Authentication decisions, by outcome (success, failure) and method.',
    labelNames: ['outcome', 'method'] as const, registers, collect: () => flushRequests() });
  const recorder = requestRecorder(requests, requestDuration, auth);
  flushRequests = recorder.flush;
  const recordRequest: Metrics['recordRequest'] = workerRequests === null ? recorder.record
    : (routeKind, method, status, seconds, jwt) => { workerRequests.count++; recorder.record(routeKind, method, status, seconds, jwt); };

  return {
    registry,
    recordRequest,
    poolTimeouts: new Counter({ name: 'pgrst_db_pool_timeouts_total', help: 'Pool acquisitions that timed out (answered 504 PGRST003).', registers }),
    connectionErrors: new Counter({ name: 'pesquel_db_connection_errors_total', help: 'Failed or lost database connections.', registers }),
    schemaLoads: new Counter({ name: 'pgrst_schema_cache_loads_total', help: 'Schema cache loads, by status (SUCCESS or FAIL).',
      labelNames: ['status'] as const, registers }),
    // Summed over workers it would mean nothing: the slowest worker's last load.
    schemaQueryTime: new Gauge({ name: 'pgrst_schema_cache_query_time_seconds', help: 'Duration of the last successful schema cache load.', registers, aggregator: 'max' }),
    schemaLoadDuration: new Histogram({ name: 'pesquel_schema_cache_load_duration_seconds', help: 'Schema cache load durations.',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers }),
    auth,
    listenerReconnects: new Counter({ name: 'pesquel_db_listener_reconnects_total', help: 'Reconnections of the LISTEN connection (schema reloads).', registers }),
    replicaStateChanges: new Counter({ name: 'pesquel_db_replica_state_changes_total', help: 'Read replicas leaving (healthy="false") or joining (healthy="true") the rotation.',
      labelNames: ['backend', 'healthy'] as const, registers }),
    migrationsApplied: new Counter({ name: 'pesquel_migrations_applied_total', help: 'Migrations applied through this server.', registers }),
    backups: new Counter({ name: 'pesquel_backups_total', help: 'Backups written through this server.', registers }),
  };
}

/**
 * pesquel_worker_requests_total{worker="2"}: the API requests one worker answered, so that the sum
 * over workers on the primary's /metrics shows how the load spread. A plain number between scrapes.
 */
function workerCounter(worker: number | undefined, registers: Registry[]): { count: number } | null {
  if (worker === undefined) return null;
  const state = { count: 0 };
  const labels = { worker: String(worker) };
  new Counter({ name: 'pesquel_worker_requests_total', help: 'API requests answered, by worker process (server-workers).',
    labelNames: ['worker'] as const, registers,
    collect() { this.inc(labels, state.count); state.count = 0; } });
  return state;
}

/**
 * In an API worker: answers the primary's requests for metrics (prom-client's cluster messages)
 * with `registry`, before it exists with an empty one. Call once, as early as possible.
 */
export function shareMetricsWithPrimary(registry?: Registry): void {
  new AggregatorRegistry(); // installs prom-client's IPC listener (idempotent)
  AggregatorRegistry.setRegistries(registry ? [registry] : [new Registry()]);
}

export interface PrimaryMetrics {
  /** Prometheus text: the sum over the workers, then the primary's own metrics. */
  text(): Promise<string>;
  readonly contentType: string;
  readonly restarts: Counter;
}

/** The primary's /metrics: prom-client's cluster aggregation plus the supervisor's gauges. */
export function createPrimaryMetrics(workers: { readonly configured: number; alive(): number }): PrimaryMetrics {
  const aggregator = new AggregatorRegistry();
  const own = new Registry();
  const registers = [own];
  new Gauge({ name: 'pesquel_workers', help: 'API worker processes started and serving.', registers, collect() { this.set(workers.alive()); } });
  new Gauge({ name: 'pesquel_workers_configured', help: 'API worker processes configured (server-workers).', registers, collect() { this.set(workers.configured); } });
  const restarts = new Counter({ name: 'pesquel_worker_restarts_total', help: 'API workers that exited unexpectedly and were replaced.', registers });
  return {
    text: async () => `${await aggregator.clusterMetrics()}\n${await own.metrics()}`,
    contentType: own.contentType,
    restarts,
  };
}

/**
 * Per database server behind read routing, read from the router's own counts at scrape time:
 * requests and errors (`backend="primary"`, `"replica-1"`, …; `address` host:port/db), health and
 * replica lag. Across workers requests and errors add up, health is the worst and lag the largest.
 */
function backendMetrics(backends: () => readonly BackendSample[], registers: Registry[]): void {
  const labelNames = ['backend', 'address'] as const;
  const labels = (b: BackendSample) => ({ backend: b.name, address: b.address });
  new Counter({ name: 'pesquel_db_backend_requests_total', help: 'API transactions sent to each database server (primary, replica-N).', labelNames, registers,
    collect() { this.reset(); for (const b of backends()) this.inc(labels(b), b.requests); } });
  new Counter({ name: 'pesquel_db_backend_errors_total', help: 'API transactions that failed because of the server (connection, pool timeout, recovery conflict).', labelNames, registers,
    collect() { this.reset(); for (const b of backends()) this.inc(labels(b), b.errors); } });
  new Gauge({ name: 'pesquel_db_backend_healthy', help: '1 while the server takes requests (a replica: reachable and within db-replica-max-lag).', labelNames, registers, aggregator: 'min',
    collect() { for (const b of backends()) this.set(labels(b), b.healthy ? 1 : 0); } });
  new Gauge({ name: 'pesquel_db_replica_lag_seconds', help: 'Replay lag of each read replica (0: caught up; NaN: unknown).', labelNames, registers, aggregator: 'max',
    collect() { for (const b of backends()) if (b.name !== 'primary') this.set(labels(b), b.lagSeconds ?? NaN); } });
}
