// GET / : the OpenAPI description of the exposed schema, or interactive docs for a browser.
import { errors } from '../../errors/codes.js';
import { negotiate } from '../../plan/media.js';
import { generateOpenApi } from '../../openapi/generate.js';
import { docsPage } from '../../openapi/docs-page.js';
import { toSwagger2, wantsSwagger2 } from '../../openapi/swagger2.js';
import type { ApiResponse } from '../../response/types.js';
import type { RouteContext } from '../app.js';

export async function handleRoot(ctx: RouteContext): Promise<ApiResponse> {
  const { req, cache, deps, auth } = ctx;
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
  });
  return {
    status: 200,
    headers: { 'Content-Type': 'application/openapi+json; charset=utf-8' },
    // Swagger 2.0 only on request (`Accept: application/openapi+json;version=2.0`), for legacy tools.
    body: head ? null : JSON.stringify(wantsSwagger2(req.accept) ? toSwagger2(doc) : doc),
  };
}
