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

/** The path of a request URL (without the query string). */
export const pathOf = (url: string): string => {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
};

/** What a request's key determines: everything but its headers, cookies and body. */
type Keyed = Omit<ApiRequest, 'headers' | 'cookies' | 'body'>;

// Requests parsed by key, per list of exposed schemas (one per configuration): a client repeating a
// request (same method, URL and key headers) skips the URL and header grammars. Failures throw
// again, unstored.
const parsedByKey = new WeakMap<readonly string[], Lru<string, Keyed>>();

export function parseRequest(raw: RawRequest, settings: RequestSettings): ApiRequest {
  const method = raw.method.toUpperCase() as Method;
  if (!methods.includes(method)) throw errors.unsupportedVerb(raw.method);
  const readLike = method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
  const profileHeader = first(raw.headers[readLike ? 'accept-profile' : 'content-profile']);
  const defaultSchema = settings.schemas[0] as string;
  const schema = profileHeader === undefined ? defaultSchema : profileHeader.trim();
  if (!settings.schemas.includes(schema)) {
    parseTarget(pathOf(raw.url)); // a malformed path is reported first
    throw errors.schemaNotExposed(schema, settings.schemas);
  }
  const contentTypeHeader = first(raw.headers['content-type']);
  const acceptHeader = first(raw.headers.accept);
  const preferHeaders = all(raw.headers.prefer);
  const rangeHeader = method === 'GET' ? first(raw.headers.range) : undefined;
  // NUL never occurs in a header value, so an absent header and an empty one differ.
  const key = `${method}\n${raw.url}\n${schema}\n${acceptHeader ?? '\0'}\n${preferHeaders.join('\0')}\n${rangeHeader ?? '\0'}\n${contentTypeHeader ?? '\0'}`;

  let byKey = parsedByKey.get(settings.schemas);
  if (byKey === undefined) parsedByKey.set(settings.schemas, (byKey = new Lru(1000)));
  const keyed = byKey.getOrSet(key, (): Keyed => {
    const pathname = pathOf(raw.url);
    const queryText = raw.url.slice(pathname.length + 1);
    return {
      method,
      path: pathname,
      target: parseTarget(pathname),
      schema,
      schemaNegotiated: settings.schemas.length > 1,
      query: parsedQueries.getOrSet(queryText, () => parseQueryParams(new URLSearchParams(queryText))),
      preferences: parsePrefer(preferHeaders),
      accept: parseAccept(acceptHeader),
      contentType: contentTypeHeader === undefined ? null : parseMediaType(contentTypeHeader),
      range: method === 'GET' ? parseRange(rangeHeader) : null,
      key,
    };
  });

  const headers: Record<string, string> = {};
  for (const k in raw.headers) {
    const v = raw.headers[k];
    if (v !== undefined) headers[k] = typeof v === 'string' ? v : v.join(', ');
  }
  return {
    method: keyed.method, path: keyed.path, target: keyed.target, schema: keyed.schema, schemaNegotiated: keyed.schemaNegotiated,
    query: keyed.query, preferences: keyed.preferences, accept: keyed.accept, contentType: keyed.contentType, range: keyed.range,
    key: keyed.key, headers, cookies: parseCookies(first(raw.headers.cookie)), body: raw.body,
  };
}
