// CORS as PostgREST does it (its wai-cors policy, PostgREST.Cors): only for requests with an
// Origin. Without server-cors-allowed-origins any origin may read (`Access-Control-Allow-Origin: *`,
// no credentials); with it, a listed origin is echoed with credentials and any other gets no CORS
// headers at all (the request itself is still answered).
import type { Config } from '../config/config.js';
import type { RawRequest } from '../request/parse-request.js';
import type { ApiResponse } from '../response/types.js';

const exposed = 'Content-Encoding, Content-Location, Content-Range, Content-Type, Date, Location, Server, Transfer-Encoding, Range-Unit';
const methods = 'GET, POST, PATCH, PUT, DELETE, OPTIONS, HEAD';
/** CORS-safelisted request headers, added after Authorization and the requested ones. */
const simpleHeaders = ['Accept', 'Accept-Language', 'Content-Language'];

const header = (raw: RawRequest, name: string): string | undefined => {
  const v = raw.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** The origin headers for this request, or null when it gets no CORS headers. */
function originHeaders(raw: RawRequest, config: Config): Record<string, string> | null {
  const o = header(raw, 'origin');
  if (o === undefined) return null;
  const allowed = config.serverCorsAllowedOrigins;
  if (allowed === null || allowed.length === 0) return { 'Access-Control-Allow-Origin': '*' };
  return allowed.includes(o) ? { 'Access-Control-Allow-Origin': o, 'Access-Control-Allow-Credentials': 'true' } : null;
}

/** Headers added to every answer to a cross-origin request (errors included). */
export function corsHeaders(raw: RawRequest, config: Config): Record<string, string> {
  const h = originHeaders(raw, config);
  if (h === null) return {};
  h['Access-Control-Expose-Headers'] = exposed;
  return h;
}

/**
 * The answer to a preflight (OPTIONS with Access-Control-Request-Method), or null when the origin
 * is not allowed: the OPTIONS request is then answered as any other.
 * Example: Origin: http://a.example, Access-Control-Request-Headers: prefer →
 *   Access-Control-Allow-Origin: *, Access-Control-Allow-Methods: GET, POST, PATCH, PUT, DELETE, OPTIONS, HEAD,
 *   Access-Control-Allow-Headers: Authorization, prefer, Accept, Accept-Language, Content-Language, Access-Control-Max-Age: 86400
 */
export function preflight(raw: RawRequest, config: Config): ApiResponse | null {
  const h = originHeaders(raw, config);
  if (h === null) return null;
  const requested = (header(raw, 'access-control-request-headers') ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  const allow = ['Authorization', ...requested];
  const seen = new Set(allow.map((a) => a.toLowerCase()));
  for (const s of simpleHeaders) if (!seen.has(s.toLowerCase())) allow.push(s);
  h['Access-Control-Allow-Methods'] = methods;
  h['Access-Control-Allow-Headers'] = allow.join(', ');
  h['Access-Control-Max-Age'] = '86400';
  return { status: 200, headers: h, body: null };
}
