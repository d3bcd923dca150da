// The composition root of the API: request → plan → sql → db → response, and errors → to-http.
// createApp has no side effects: it returns a handler; only main.ts listens.
import type { Authenticate, AuthResult } from '../auth/types.js';
import type { RequestFinished } from '../observability/events.js';
import type { Config } from '../config/config.js';
import type { Db } from '../db/types.js';
import { errors } from '../errors/codes.js';
import { toHttp } from '../errors/to-http.js';
import { parseRequest, pathOf, type RawRequest } from '../request/parse-request.js';
import type { ApiRequest } from '../request/types.js';
import type { ApiResponse } from '../response/types.js';
import type { SchemaCache } from '../schema-cache/types.js';
import { corsHeaders, preflight } from './cors.js';
import { handleRead } from './routes/read.js';
import { handleRoot } from './routes/root.js';
import { handleOptions } from './routes/options.js';
import { handleWrite } from './routes/write.js';
import { handleRpc } from './routes/rpc.js';
import { requestSettings } from './settings.js';
import { checkStrict } from './routes/prefer.js';
import type { ClientGone, RequestTx } from '../db/types.js';
import { ServerTiming } from './server-timing.js';
import { preRequestStatement, withPreRequest } from '../auth/pre-request.js';
import { Lru } from '../util/lru.js';
import { mainStatementText } from './log-query.js';

export interface AppDeps {
  readonly config: Config;
  readonly db: Db;
  readonly schemaCache: () => SchemaCache | null;
  readonly authenticate: Authenticate;
  /** Routes outside the PostgREST grammar (the auth service: /auth/*); null when not theirs. */
  readonly routes?: (raw: RawRequest) => Promise<ApiResponse> | null;
  readonly onRequest?: (e: RequestEvent) => void;
}

/** What the app reports when a response is ready (observability/ turns it into logs and metrics). */
export type RequestEvent = RequestFinished & { readonly auth: NonNullable<RequestFinished['auth']> };

/** Everything a route needs to run its transaction. */
export interface RouteContext {
  readonly deps: AppDeps;
  readonly req: ApiRequest;
  readonly cache: SchemaCache;
  readonly auth: AuthResult;
  /** The request URL as sent (path and query string). */
  readonly url: string;
  /** Runs statements in this request's transaction, with its role and settings. */
  run(tx: Omit<RequestTx, 'settings'>): ReturnType<Db['request']>;
  /**
   * What `make` compiles for this request (plan and statements), cached by the request key against
   * the current schema cache: a repeated URL is parsed, planned and rendered once. `make` must
   * depend only on the request key's inputs, the schema cache and the configuration (not on the
   * role, claims, other headers or the body — except through `variant`, a string naming what
   * else it depends on, such as the body's keys). The key names the path, so one route owns each entry.
   */
  compiled<T>(make: () => T, variant?: string): T;
}

/** `clientGone` tells whether the client went away (node-adapter): its database work is then cancelled. */
export type Handler = (raw: RawRequest, clientGone?: ClientGone) => Promise<ApiResponse>;

/** Compiled plans and statements per schema cache snapshot (a reload starts afresh). */
const COMPILED_PER_SCHEMA = 1000;

export function createApp(deps: AppDeps): Handler {
  const { config } = deps;
  const compiledBySchema = new WeakMap<SchemaCache, Lru<string, unknown>>();
  const compiledFor = (cache: SchemaCache) => {
    let lru = compiledBySchema.get(cache);
    if (!lru) compiledBySchema.set(cache, (lru = new Lru(COMPILED_PER_SCHEMA)));
    return lru;
  };
  const preRequest = config.dbPreRequest === null ? null : preRequestStatement(config.dbPreRequest);
  const logQuery = config.logQuery === 'main-query';
  return async (raw, clientGone) => {
    const t0 = performance.now();
    const timing = config.serverTimingEnabled ? new ServerTiming(t0) : null;
    let auth: AuthResult | null = null;
    let routeKind: RequestEvent['routeKind'] = 'other';
    let response: ApiResponse;
    let errorCode: string | null = null;
    let unexpected: unknown;
    let own: Promise<ApiResponse> | null;
    let cors: ApiResponse | null = null;
    let mainQuery: string | undefined;
    try {
      if (raw.method === 'OPTIONS' && raw.headers['access-control-request-method'] !== undefined && (cors = preflight(raw, config)) !== null) {
        response = cors;
      } else if ((own = deps.routes?.(raw) ?? null) !== null) {
        response = await own;
      } else {
        const cache = deps.schemaCache();
        if (!cache) throw errors.schemaCacheUnavailable();
        const req = parseRequest(raw, { schemas: config.dbSchemas });
        timing?.mark('parse');
        routeKind = req.target.kind;
        if (req.method === 'OPTIONS') {
          // As PostgREST: the token is checked on OPTIONS too (Server-Timing: jwt, parse, response).
          auth = await deps.authenticate(req.headers);
          timing?.mark('jwt');
          response = handleOptions(req, cache);
          timing?.mark('response');
        } else {
          checkStrict(req, cache);
          auth = await deps.authenticate(req.headers);
          timing?.mark('jwt');
          const a = auth;
          const ctx: RouteContext = {
            deps, req, cache, auth: a, url: raw.url,
            run: (tx) => {
              const settings = requestSettings(req, a, cache, config.dbExtraSearchPath, config.appSettings, timezoneFor(req, cache));
              timing?.mark('plan');
              // Read replicas (db/routed.ts) take GET/HEAD reads and read-only calls, unless the client overrides the end or asks for the primary.
              const replicaOk = (req.method === 'GET' || req.method === 'HEAD') && tx.readOnly && req.preferences.tx === null && req.preferences.read === null;
              if (logQuery) mainQuery = mainStatementText(tx.main);
              const result = withPreRequest(preRequest, tx, (t) => deps.db.request({ readOnly: t.readOnly, replicaOk, settings, before: t.before, main: t.main, end: t.end, clientGone }));
              return timing ? result.finally(() => timing.mark('transaction')) : result;
            },
            compiled: <T>(make: () => T, variant?: string) =>
              compiledFor(cache).getOrSet(variant === undefined ? req.key : `${req.key}\n\n${variant}`, make) as T,
          };
          response = await route(ctx);
          timing?.mark('response');
          if (req.schemaNegotiated && req.target.kind !== 'root') response.headers['Content-Profile'] = req.schema;
        }
      }
    } catch (err) {
      // PostgREST: 42501 is 403 for a role other than the anonymous one, else 401 (a JWT without a role claim too).
      const h = toHttp(err, auth !== null && auth.role !== config.dbAnonRole);
      errorCode = h.code;
      unexpected = h.unexpected;
      response = { status: h.status, headers: h.headers, body: raw.method === 'HEAD' ? null : h.body };
    }
    if (cors === null) Object.assign(response.headers, corsHeaders(raw, config));
    if (config.serverTraceHeader !== null) {
      // server-trace-header: echo the client's request id so logs on both sides line up.
      const trace = raw.headers[config.serverTraceHeader.toLowerCase()];
      const value = Array.isArray(trace) ? trace[0] : trace;
      if (value !== undefined && !/[\r\n]/.test(value)) response.headers[config.serverTraceHeader] = value;
    }
    // A CORS preflight is answered before any phase (PostgREST's CORS middleware): no Server-Timing.
    if (timing && cors === null) response.headers['Server-Timing'] = timing.header();
    const authOutcome = auth?.authenticated ? 'success' : errorCode !== null && /^PGRST30[1-3]$/.test(errorCode) ? 'failure' : 'anonymous';
    deps.onRequest?.({
      type: 'request', method: raw.method, path: pathOf(raw.url), status: response.status, ms: performance.now() - t0,
      role: auth?.role ?? null, errorCode, routeKind, auth: authOutcome, unexpected, query: mainQuery,
    });
    return response;
  };
}

function timezoneFor(req: ApiRequest, cache: SchemaCache): string | null {
  const tz = req.preferences.timezone;
  return tz !== null && cache.timezones.has(tz) ? tz : null;
}

async function route(ctx: RouteContext): Promise<ApiResponse> {
  const { req } = ctx;
  switch (req.target.kind) {
    case 'root':
      if (req.method !== 'GET' && req.method !== 'HEAD') throw errors.unsupportedVerb(req.method);
      return handleRoot(ctx);
    case 'rpc':
      return handleRpc(ctx);
    case 'relation':
      return req.method === 'GET' || req.method === 'HEAD' ? handleRead(ctx) : handleWrite(ctx);
  }
}
