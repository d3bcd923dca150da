// The admin server (PostgREST's admin-server-port): GET /live (the process answers), GET /ready
// (the database answers and the schema cache is loaded) and GET /metrics (Prometheus text format).
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';
import type { BackendState, Db } from '../db/types.js';
import type { SchemaCacheHolder } from '../schema-cache/holder.js';

export interface AdminDeps {
  readonly db: Db;
  readonly schema: SchemaCacheHolder;
  readonly metrics?: Registry;
  /** How long /ready waits for the database to answer before answering 503. */
  readonly readyTimeoutMs?: number;
}

export function createAdminServer(deps: AdminDeps): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    } else if (path === '/live') {
      res.writeHead(200).end();
    } else if (path === '/ready') {
      // Reachability, not a free connection: a pool busy with slow requests is not a database that
      // is down (Db.ping does not queue behind them). Bounded wait.
      // With read replicas the body lists every server; only the primary decides readiness.
      void deps.db.ping(deps.readyTimeoutMs ?? 5000).then(
        (up) => {
          const status = up && deps.schema.current() ? 200 : 503;
          if (!deps.db.backends) return res.writeHead(status).end();
          res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(readyBody(up, deps.db.backends())));
        },
        () => res.writeHead(503).end(),
      );
    } else if (path === '/metrics' && deps.metrics) {
      const registry = deps.metrics;
      void registry.metrics().then(
        (text) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(text),
        (err: unknown) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(String(err)),
      );
    } else {
      res.writeHead(404).end();
    }
  });
}

/** `{"primary":{"address":…,"healthy":true},"replicas":[{"name":"replica-1","address":…,"healthy":true,"lag_seconds":0}]}` */
export function readyBody(primaryUp: boolean, backends: readonly BackendState[]) {
  const [primary, ...replicas] = backends;
  return {
    primary: { address: primary?.address ?? null, healthy: primaryUp },
    replicas: replicas.map((r) => ({ name: r.name, address: r.address, healthy: r.healthy, lag_seconds: r.lagSeconds })),
  };
}
