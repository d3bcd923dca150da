// The transaction-local settings of one request, in PostgREST's order: role, search_path,
// request.* GUCs, app.settings.*, the role's own ALTER ROLE settings, the timezone preference.
import type { AuthResult } from '../auth/types.js';
import type { ApiRequest } from '../request/types.js';
import type { SchemaCache } from '../schema-cache/types.js';
import type { SettingPairs, TxSettings } from '../db/types.js';

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;

// search_path by exposed schema, per db-extra-search-path list (one array per configuration).
const searchPaths = new WeakMap<readonly string[], Map<string, string>>();

// The shared settings array of a user (auth result) per search_path: for a shared (frozen) result
// the same frozen array for each of the user's requests, so its claims JSON is built once and the
// backend renders it once (TxSettings). A per-request result leaves no weak-map entry behind.
const sharedByAuth = new WeakMap<AuthResult, Map<string, SettingPairs>>();

function sharedSettings(auth: AuthResult, searchPath: string): SettingPairs {
  const pairs = (): SettingPairs => [['role', auth.role], ['search_path', searchPath], ['request.jwt.claims', JSON.stringify(auth.claims)]];
  if (!Object.isFrozen(auth)) return pairs(); // a result of this request only (a token neither cached nor kept)
  let byPath = sharedByAuth.get(auth);
  if (byPath === undefined) sharedByAuth.set(auth, (byPath = new Map()));
  let shared = byPath.get(searchPath);
  if (shared === undefined) byPath.set(searchPath, (shared = Object.freeze(pairs())));
  return shared;
}

export function requestSettings(
  req: ApiRequest,
  auth: AuthResult,
  cache: SchemaCache,
  extraSearchPath: readonly string[],
  appSettings: Readonly<Record<string, string>>,
  timezone: string | null,
): TxSettings {
  const own: Array<readonly [string, string]> = [
    ['request.headers', JSON.stringify(req.headers)],
    ['request.cookies', JSON.stringify(req.cookies)],
    ['request.method', req.method],
    ['request.path', req.path],
  ];
  for (const [k, v] of Object.entries(appSettings)) own.push([`app.settings.${k}`, v]);
  for (const s of cache.roles.get(auth.role)?.settings ?? []) own.push(s);
  if (timezone !== null) own.push(['timezone', timezone]);
  return { shared: sharedSettings(auth, searchPath(req.schema, extraSearchPath)), own };
}

/** `"api", "public"`: the exposed schema first, then db-extra-search-path (one per schema; a constant). */
function searchPath(schema: string, extra: readonly string[]): string {
  let bySchema = searchPaths.get(extra);
  if (bySchema === undefined) searchPaths.set(extra, (bySchema = new Map()));
  let path = bySchema.get(schema);
  if (path === undefined) bySchema.set(schema, (path = [schema, ...extra].map(quoteIdent).join(', ')));
  return path;
}
