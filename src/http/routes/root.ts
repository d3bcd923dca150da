// GET / : the OpenAPI description of the exposed schema, or interactive docs for a browser; with
// db-root-spec, the result of that function instead.
import { errors } from '../../errors/codes.js';
import { negotiate } from '../../plan/media.js';
import { generateOpenApi } from '../../openapi/generate.js';
import { docsPage } from '../../openapi/docs-page.js';
import { toSwagger2, wantsSwagger2 } from '../../openapi/swagger2.js';
import type { ApiResponse } from '../../response/types.js';
import type { ApiRequest } from '../../request/types.js';
import type { RouteContext } from '../app.js';
import { handleRpc } from './rpc.js';

export async function handleRoot(ctx: RouteContext): Promise<ApiResponse> {
  const { req, cache, deps, auth } = ctx;
  if (deps.config.dbRootSpec !== null) return rootSpec(ctx, deps.config.dbRootSpec);
  const mode = deps.config.openapiMode;
  if (mode === 'disabled') throw errors.openApiDisabled();
  const media = negotiate(req.accept, ['openapi', 'html'], req.headers.accept);
  const head = req.method === 'HEAD';
  if (media.kind === 'html') {
    return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: head ? null : docsPage() };
  }
  const host = req.headers['x-forwarded-host'] ?? req.headers.host ?? `localhost:${deps.config.serverPort}`;
  const proto = req.headers['x-forwarded-proto'] ?? 'http';
  const doc = generateOpenApi(cache, {
    schema: req.schema,
    role: mode === 'follow-privileges' ? auth.role : null,
    serverUrl: deps.config.openapiServerProxyUri ?? `${proto}://${host}`,
    authService: deps.config.authEnabled ? { cookieMode: deps.config.authCookieMode, signup: deps.config.authSignup } : null,
    securityActive: deps.config.openapiSecurityActive,
  });
  return {
    status: 200,
    headers: { 'Content-Type': 'application/openapi+json; charset=utf-8' },
    // Swagger 2.0 only on request (`Accept: application/openapi+json;version=2.0`), for legacy tools.
    body: head ? null : JSON.stringify(wantsSwagger2(req.accept) ? toSwagger2(doc) : doc),
  };
}

/**
 * db-root-spec, as PostgREST: `GET /` is `GET /rpc/<function>` in the request's schema, answered as
 * `application/openapi+json` when the client asks for it first, else as the call's JSON.
 * Example: db-root-spec=root, GET / (Accept: application/openapi+json) → SELECT api.root(), that body.
 */
async function rootSpec(ctx: RouteContext, name: string): Promise<ApiResponse> {
  const req = ctx.req;
  const first = req.accept.find((m) => m.type === 'application/openapi+json' || m.type === 'application/json' || m.type === '*/*' || m.type === 'application/*');
  const openapi = first?.type === 'application/openapi+json';
  // Not the hot path: a copy of the request naming the function (and JSON for OpenAPI's media type).
  const call: ApiRequest = { ...req, target: { kind: 'rpc', name }, accept: openapi ? [{ type: 'application/json', params: {}, q: 1 }] : req.accept, key: `${req.key}\n\nroot-spec` };
  const response = await handleRpc({ ...ctx, req: call });
  if (openapi && response.status < 300 && response.headers['Content-Type'] !== undefined) {
    response.headers['Content-Type'] = 'application/openapi+json; charset=utf-8';
  }
  return response;
}
