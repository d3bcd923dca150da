// CORS as PostgREST does it: permissive by default (the request's Origin is echoed with
// credentials), restricted to server-cors-allowed-origins when that is set.
import type { Config } from '../config/config.js';
import type { RawRequest } from '../request/parse-request.js';
import type { ApiResponse } from '../response/types.js';

const exposed = 'Content-Encoding, Content-Location, Content-Range, Content-Type, Date, Location, Server, Transfer-Encoding, Range-Unit, Content-Profile, Preference-Applied, Proxy-Status';
const allowedHeaders = 'Authorization, Content-Type, Accept, Accept-Language, Content-Language';

function origin(raw: RawRequest): string | undefined {
  const o = raw.headers.origin;
  return Array.isArray(o) ? o[0] : o;
}

function allowed(o: string, config: Config): boolean {
  return config.serverCorsAllowedOrigins === null || config.serverCorsAllowedOrigins.includes(o);
}

export function corsHeaders(raw: RawRequest, config: Config): Record<string, string> {
  const o = origin(raw);
  if (o === undefined || !allowed(o, config)) return {};
  return {
    'Access-Control-Allow-Origin': o,
    'Access-Control-Allow-Credentials': 'true',
    'Access-Control-Expose-Headers': exposed,
    Vary: 'Origin',
  };
}

export function preflight(raw: RawRequest, config: Config): ApiResponse {
  const o = origin(raw);
  if (o === undefined || !allowed(o, config)) return { status: 200, headers: {}, body: null };
  const requested = raw.headers['access-control-request-headers'];
  const extra = (Array.isArray(requested) ? requested.join(',') : requested ?? '').trim();
  return {
    status: 200,
    headers: {
      'Access-Control-Allow-Methods': 'GET, POST, PATCH, PUT, DELETE, OPTIONS, HEAD',
      'Access-Control-Allow-Headers': extra === '' ? allowedHeaders : `${allowedHeaders}, ${extra}`,
      'Access-Control-Max-Age': '86400',
    },
    body: null,
  };
}
