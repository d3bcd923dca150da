// The transaction-local settings of one request, in PostgREST's order: role, search_path,
// request.* GUCs, app.settings.*, the role's own ALTER ROLE settings, the timezone preference.
import type { AuthResult } from '../auth/types.js';
import type { ApiRequest } from '../request/types.js';
import type { SchemaCache } from '../schema-cache/types.js';

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;

export function requestSettings(
  req: ApiRequest,
  auth: AuthResult,
  cache: SchemaCache,
  extraSearchPath: readonly string[],
  appSettings: Readonly<Record<string, string>>,
  timezone: string | null,
): Array<readonly [string, string]> {
  const settings: Array<readonly [string, string]> = [
    ['role', auth.role],
    ['search_path', [req.schema, ...extraSearchPath].map(quoteIdent).join(', ')],
    ['request.jwt.claims', JSON.stringify(auth.claims)],
    ['request.headers', JSON.stringify(req.headers)],
    ['request.cookies', JSON.stringify(req.cookies)],
    ['request.method', req.method],
    ['request.path', req.path],
  ];
  for (const [k, v] of Object.entries(appSettings)) settings.push([`app.settings.${k}`, v]);
  for (const s of cache.roles.get(auth.role)?.settings ?? []) settings.push(s);
  if (timezone !== null) settings.push(['timezone', timezone]);
  return settings;
}
