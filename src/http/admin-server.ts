// The admin server (PostgREST's admin-server-port): GET /live and GET /ready.
import { createServer, type Server } from 'node:http';
import type { Db } from '../db/types.js';
import type { SchemaCacheHolder } from '../schema-cache/holder.js';

export interface AdminDeps {
  readonly db: Db;
  readonly schema: SchemaCacheHolder;
}

export function createAdminServer(deps: AdminDeps): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/live') {
      res.writeHead(200).end();
    } else if (path === '/ready') {
      void deps.db.query('SELECT 1').then(
        () => res.writeHead(deps.schema.current() ? 200 : 503).end(),
        () => res.writeHead(503).end(),
      );
    } else {
      res.writeHead(404).end();
    }
  });
}
