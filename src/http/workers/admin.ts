// The primary's admin server when several API workers run: GET /live (the primary answers),
// GET /ready (every worker is up and its database answers) and GET /metrics (the sum over the
// workers by prom-client's cluster aggregation, then the primary's own worker gauges).
import { createServer, type Server } from 'node:http';
import type { PrimaryMetrics } from '../../observability/metrics.js';

export interface WorkersAdminDeps {
  readonly metrics: PrimaryMetrics;
  /** Whether every configured worker is serving and says it is ready; with read replicas, worker 1's /ready body. */
  readonly ready: () => Promise<{ readonly ok: boolean; readonly body?: unknown }>;
}

export function createWorkersAdminServer(deps: WorkersAdminDeps): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    } else if (path === '/live') {
      res.writeHead(200).end();
    } else if (path === '/ready') {
      deps.ready().then(
        ({ ok, body }) => (body === undefined ? res.writeHead(ok ? 200 : 503).end()
          : res.writeHead(ok ? 200 : 503, { 'Content-Type': 'application/json' }).end(JSON.stringify(body))),
        () => res.writeHead(503).end(),
      );
    } else if (path === '/metrics') {
      deps.metrics.text().then(
        (text) => res.writeHead(200, { 'Content-Type': deps.metrics.contentType }).end(text),
        (err: unknown) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`metrics unavailable: ${(err as Error).message}`),
      );
    } else {
      res.writeHead(404).end();
    }
  });
}
