// The admin server (PostgREST's admin-server-port): GET /live (the process answers), GET /ready
// (the database answers and the schema cache is loaded) and GET /metrics (Prometheus text format).
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';
import type { Db } from '../db/types.js';
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
      void deps.db.ping(deps.readyTimeoutMs ?? 5000).then(
        (up) => res.writeHead(up && deps.schema.current() ? 200 : 503).end(),
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
