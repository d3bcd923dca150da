// The API as one configuration makes it — auth (JWT keys, anon role, the role guard) and the app —
// behind one handler that always runs the newest; rebuilt when the in-database configuration changes.
import type { Authenticate } from '../auth/types.js';
import { setupAuth } from '../auth/setup.js';
import type { Config } from '../config/config.js';
import type { Db } from '../db/types.js';
import type { Logger } from '../observability/logger.js';
import type { Observe } from '../observability/observer.js';
import type { SchemaCacheHolder } from '../schema-cache/holder.js';
import { createApp, type Handler, type RequestEvent } from './app.js';
import { LiveConfig } from './live-config.js';

export interface LiveApiDeps {
  /** The configuration from flags, file and environment; `initial` adds the database's values (db-config). */
  readonly base: Config;
  readonly initial: Config;
  readonly db: Db;
  readonly schema: SchemaCacheHolder;
  readonly log: Logger;
  readonly observe: Observe;
  readonly authenticate?: Authenticate;
  readonly onRequest?: (e: RequestEvent) => void;
}

const sameList = (a: readonly string[], b: readonly string[]) => a.join() === b.join();

/** Builds the API for `initial`; `live.reload()` reads the database again and swaps in a rebuilt one when it changed. */
export async function liveApi(d: LiveApiDeps): Promise<{ readonly live: LiveConfig; readonly handler: Handler }> {
  const { db, schema, log, observe } = d;
  const build = async (c: Config) => {
    // JWT verification, the auth service, and the refusal of superuser/BYPASSRLS request roles.
    const auth = await setupAuth({ config: c, db, schemaCache: () => schema.current(), warn: (m) => log.warn({ event: 'auth' }, m), onDecision: (e) => observe(e) });
    for (const warning of await auth.check()) log.warn({ event: 'auth-safety' }, warning);
    return createApp({
      config: c,
      db,
      schemaCache: () => schema.current(),
      authenticate: d.authenticate ?? auth.authenticate,
      routes: auth.routes,
      onRequest: (e) => {
        d.onRequest?.(e);
        observe(e);
      },
    });
  };
  let app = await build(d.initial);
  // Everything that can fail comes before the swap: a refused configuration leaves the API as it was.
  const live = new LiveConfig(d.base, db, d.initial, async (next, previous) => {
    const built = await build(next);
    if (!sameList(next.dbSchemas, previous.dbSchemas) || !sameList(next.dbExtraSearchPath, previous.dbExtraSearchPath)) {
      schema.configure(next.dbSchemas, next.dbExtraSearchPath);
      try {
        await schema.reload();
      } catch (err) {
        schema.configure(previous.dbSchemas, previous.dbExtraSearchPath);
        throw err;
      }
    }
    app = built;
    if (next.dbPreparedStatements !== previous.dbPreparedStatements) db.usePreparedStatements?.(next.dbPreparedStatements);
  }, (e) => observe(e));
  return { live, handler: (raw, gone) => app(raw, gone) };
}
