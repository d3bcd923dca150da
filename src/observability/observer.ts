// The one place where typed events become log lines and metric updates, so that a request, a
// pool timeout or a schema reload is described the same way in the logs and in /metrics.
import { requestLogger, type Logger, type RequestLogger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { OpsEvent, RequestFinished } from './events.js';

export type Observe = (e: OpsEvent) => void;

const round = (ms: number) => Math.round(ms * 10) / 10;

function onRequest(log: Logger, logRequest: RequestLogger, m: Metrics | null, e: RequestFinished): void {
  if (m) {
    m.recordRequest(e.routeKind, e.method, e.status, e.ms / 1000, e.auth === 'success' || e.auth === 'failure' ? e.auth : null);
  }
  if (e.unexpected != null) log.error({ err: e.unexpected, method: e.method, path: e.path }, 'unexpected error');
  // Exactly these fields: never headers, bodies or query strings, which may carry tokens.
  logRequest(e.method, e.path, e.status, round(e.ms), e.role, e.errorCode, e.query);
}

export function createObserver(log: Logger, metrics: Metrics | null): Observe {
  const logRequest = requestLogger(log);
  return (e) => {
    switch (e.type) {
      case 'request':
        return onRequest(log, logRequest, metrics, e);
      case 'auth':
        metrics?.auth.inc({ outcome: e.outcome, method: e.method });
        if (e.outcome === 'failure') log.warn({ event: 'auth-failed', method: e.method, reason: e.reason }, 'authentication failed');
        else log.debug({ event: 'auth', method: e.method }, 'authenticated');
        return;
      case 'pool-timeout':
        metrics?.poolTimeouts.inc();
        log.warn({ event: e.type }, 'timed out waiting for a pool connection (PGRST003)');
        return;
      case 'connection-error':
        metrics?.connectionErrors.inc();
        log.warn({ event: e.type, message: e.message }, 'database connection error');
        return;
      case 'listener-lost':
        log.warn({ event: e.type, message: e.message }, 'LISTEN connection lost; reconnecting');
        return;
      case 'listener-reconnected':
        metrics?.listenerReconnects.inc();
        log.info({ event: e.type, attempts: e.attempts }, 'LISTEN connection restored; reloading the schema cache');
        return;
      case 'replica-down':
        metrics?.replicaStateChanges.inc({ backend: e.backend, healthy: 'false' });
        log.warn({ event: e.type, backend: e.backend, reason: e.reason }, 'read replica skipped; its reads go elsewhere until it recovers');
        return;
      case 'replica-up':
        metrics?.replicaStateChanges.inc({ backend: e.backend, healthy: 'true' });
        log.info({ event: e.type, backend: e.backend, lagSeconds: e.lagSeconds }, 'read replica takes reads');
        return;
      case 'prepared-statements-off':
        log.warn({ event: e.type, message: e.message }, 'prepared statements keep disappearing (pgBouncer in transaction mode without max_prepared_statements?): unnamed statements from now on; set db-prepared-statements = false to start that way');
        return;
      case 'schema-loaded':
        metrics?.schemaLoads.inc({ status: 'SUCCESS' });
        metrics?.schemaQueryTime.set(e.ms / 1000);
        metrics?.schemaLoadDuration.observe(e.ms / 1000);
        log.info({ event: e.type, ms: Math.round(e.ms), tables: e.tables, functions: e.functions }, 'schema cache loaded');
        return;
      case 'schema-load-failed':
        metrics?.schemaLoads.inc({ status: 'FAIL' });
        log.error({ event: e.type, message: e.message }, 'schema cache load failed');
        return;
      case 'config-loaded':
        log.info({ event: e.type, changed: e.changed }, e.changed.length > 0 ? `config reloaded: ${e.changed.join(', ')}` : 'config reloaded: no change');
        return;
      case 'config-load-failed':
        log.error({ event: e.type }, `config reload failed, the previous configuration stays: ${e.message}`);
        return;
      case 'migrations-applied':
        metrics?.migrationsApplied.inc(e.applied.length);
        log.info({ event: e.type, applied: e.applied }, `applied ${e.applied.length} migration(s)`);
        return;
      case 'backup-written':
        metrics?.backups.inc();
        log.info({ event: e.type, file: e.file, bytes: e.bytes, ms: Math.round(e.ms) }, 'backup written');
        return;
    }
  };
}
