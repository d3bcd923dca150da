// The request stage: method, path, query string and headers → ApiRequest (pure; PGRST1xx errors).
// Example: GET /todos?select=id&completed=is.false, Accept-Profile: api
//   → { target: {kind:'relation', name:'todos'}, schema: 'api', query: {select:[…], filters:[…]}, … }
import { errors } from '../errors/codes.js';
import { parseAccept, parseCookies, parseMediaType, parsePrefer, parseRange } from './headers.js';
import { parseQueryParams } from './query-params.js';
import type { ApiRequest, Method, QueryParams, Target } from './types.js';
import { Lru } from '../util/lru.js';

export interface RawRequest {
  readonly method: string;
  /** Path and query string as received, e.g. `/todos?id=eq.1`. */
  readonly url: string;
  /** Lowercased header names. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer | null;
  /** The peer's socket address (for per-address rate limits). */
  readonly remoteAddress?: string;
}

export interface RequestSettings {
  readonly schemas: readonly string[];
}

const methods: readonly Method[] = ['GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS'];

function decodeSegment(s: string, pathname: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw errors.invalidPath(pathname);
  }
}

export function parseTarget(pathname: string): Target {
  const segments = pathname.split('/').slice(1);
  if (segments.length > 0 && segments[segments.length - 1] === '') segments.pop();
  if (segments.length === 0) return { kind: 'root' };
  if (segments.length === 1 && segments[0] !== '') return { kind: 'relation', name: decodeSegment(segments[0] as string, pathname) };
  if (segments.length === 2 && segments[0] === 'rpc' && segments[1] !== '') return { kind: 'rpc', name: decodeSegment(segments[1] as string, pathname) };
  throw errors.invalidPath(pathname);
}

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);
const all = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

// Parsed query strings by their text: parsing is pure and the result immutable, and clients repeat
// the same URLs. A query string that fails to parse is not stored (it throws again).
const parsedQueries = new Lru<string, QueryParams>(1000);

export function parseRequest(raw: RawRequest, settings: RequestSettings): ApiRequest {
  const method = raw.method.toUpperCase() as Method;
  if (!methods.includes(method)) throw errors.unsupportedVerb(raw.method);
  const q = raw.url.indexOf('?');
  const pathname = q < 0 ? raw.url : raw.url.slice(0, q);
  const queryText = q < 0 ? '' : raw.url.slice(q + 1);
  const target = parseTarget(pathname);

  const readLike = method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
  const profileHeader = first(raw.headers[readLike ? 'accept-profile' : 'content-profile']);
  const defaultSchema = settings.schemas[0] as string;
  const schema = profileHeader === undefined ? defaultSchema : profileHeader.trim();
  if (!settings.schemas.includes(schema)) throw errors.schemaNotExposed(schema, settings.schemas);

  const headers: Record<string, string> = {};
  for (const k in raw.headers) {
    const v = raw.headers[k];
    if (v !== undefined) headers[k] = typeof v === 'string' ? v : v.join(', ');
  }
  const contentTypeHeader = first(raw.headers['content-type']);
  const acceptHeader = first(raw.headers.accept);
  const preferHeaders = all(raw.headers.prefer);
  const rangeHeader = method === 'GET' ? first(raw.headers.range) : undefined;

  return {
    method,
    path: pathname,
    target,
    schema,
    schemaNegotiated: settings.schemas.length > 1,
    query: parsedQueries.getOrSet(queryText, () => parseQueryParams(new URLSearchParams(queryText))),
    preferences: parsePrefer(preferHeaders),
    accept: parseAccept(acceptHeader),
    contentType: contentTypeHeader === undefined ? null : parseMediaType(contentTypeHeader),
    range: method === 'GET' ? parseRange(rangeHeader) : null,
    // NUL never occurs in a header value, so an absent header and an empty one differ.
    key: [method, raw.url, schema, acceptHeader ?? '\0', preferHeaders.join('\0'), rangeHeader ?? '\0', contentTypeHeader ?? '\0'].join('\n'),
    headers,
    cookies: parseCookies(first(raw.headers.cookie)),
    body: raw.body,
  };
}
