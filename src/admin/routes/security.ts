// Roles and security: roles with memberships, each table's RLS switches and policies, policy
// changes previewed as SQL and then applied in one transaction, and API requests run as a role
// or JWT against the running REST API.
import { render, renderInline } from '../../sql/sql.js';
import { AdminError } from '../errors.js';
import type { AdminDeps } from '../deps.js';
import type { Route } from '../http-kit.js';
import { rlsTablesSql, rolesSql } from '../catalog/security.sql.js';
import { policyChange, type PolicyChange } from '../policy-sql.js';
import { apiAuthorization, type RunAs } from '../run-as.js';
import { sendToApi } from '../api-transport.js';

const methods = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'HEAD', 'OPTIONS'];

async function body(ctx: Parameters<Route['handler']>[0]): Promise<PolicyChange> {
  const b = await ctx.json<{ change?: PolicyChange }>();
  if (!b.change) throw new AdminError(400, 'missing-field', '"change" is required');
  return b.change;
}

/**
 * The URL of an API console request: built against the API's address, then required to still be
 * on its origin. Backslashes and control characters are refused first: URL parsers read `/\\host`
 * as `//host` and drop tabs and newlines, which would send the signed token to another host.
 */
export function apiTarget(path: string, apiUrl: string): URL {
  // eslint-disable-next-line no-control-regex
  if (!path.startsWith('/') || path.startsWith('//') || /[\\\x00-\x1f\x7f]/.test(path)) {
    throw new AdminError(400, 'bad-path', 'the path must start with a single / and hold no backslashes or control characters');
  }
  const base = new URL(apiUrl);
  const url = new URL(path, base);
  if (url.origin !== base.origin) throw new AdminError(400, 'bad-path', 'the path must stay on the API\'s origin');
  return url;
}

/** Extra request headers: names and values as strings (what fetch would refuse is a 400, not a 500). */
function extraHeaders(h: unknown): Record<string, string> {
  if (h === undefined || h === null) return {};
  if (typeof h !== 'object' || Array.isArray(h)) throw new AdminError(400, 'bad-headers', '"headers" must be an object of strings');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    // eslint-disable-next-line no-control-regex
    if (typeof v !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k) || /[\x00-\x08\x0a-\x1f\x7f]/.test(v)) {
      throw new AdminError(400, 'bad-headers', `header "${k}" is not a valid header`);
    }
    out[k] = v;
  }
  return out;
}

export function securityRoutes(d: AdminDeps): Route[] {
  return [
    {
      method: 'GET', path: '/api/security/roles',
      handler: async () => {
        const rows = await d.adb.use((c) => c.rows(rolesSql));
        return { json: rows.map((r) => ({ ...r, member_of: JSON.parse(r.member_of ?? '[]') as string[] })) };
      },
    },
    {
      method: 'GET', path: '/api/security/tables',
      handler: async (ctx) => ({ json: await d.adb.use((c) => c.rows(rlsTablesSql, [ctx.url.searchParams.get('schema') ?? d.config.dbSchemas[0] ?? 'public'])) }),
    },
    {
      method: 'POST', path: '/api/security/preview', role: 'viewer',
      handler: async (ctx) => ({ json: { sql: policyChange(await body(ctx)).map((s) => renderInline(s) + ';') } }),
    },
    {
      method: 'POST', path: '/api/security/apply',
      handler: async (ctx) => {
        const statements = policyChange(await body(ctx));
        await d.adb.use(async (c) => {
          await c.query('BEGIN');
          for (const s of statements) {
            const { text, values } = render(s);
            await c.query(text, values);
          }
          await c.query('COMMIT');
        });
        await d.audit.record(ctx, { action: 'security.apply', sql: statements.map((s) => renderInline(s) + ';').join('\n') });
        return { json: { sql: statements.map((s) => renderInline(s) + ';') } };
      },
    },
    {
      method: 'POST', path: '/api/security/api-request',
      handler: async (ctx) => {
        const b = await ctx.json<{ method?: unknown; path?: unknown; body?: unknown; runAs?: RunAs; headers?: unknown }>();
        const method = (typeof b.method === 'string' ? b.method : 'GET').toUpperCase();
        if (!methods.includes(method)) throw new AdminError(400, 'bad-method', `unsupported method ${method}`);
        if (b.path !== undefined && typeof b.path !== 'string') throw new AdminError(400, 'bad-path', '"path" must be a string');
        if (b.body !== undefined && b.body !== null && typeof b.body !== 'string') throw new AdminError(400, 'bad-body', '"body" must be a string');
        const url = apiTarget(b.path ?? '/', d.apiUrl);
        const headers: Record<string, string> = { Accept: 'application/json', ...extraHeaders(b.headers) };
        const auth = await apiAuthorization(b.runAs, d.config);
        if (auth) headers.Authorization = auth;
        if (b.body) headers['Content-Type'] ??= 'application/json';
        const t0 = performance.now();
        const r = await sendToApi(url, { method, headers, body: b.body && method !== 'GET' && method !== 'HEAD' ? b.body : undefined })
          .catch((err: unknown) => { throw new AdminError(502, 'api-unreachable', `the API did not answer: ${(err as Error).message}`); });
        const text = r.text;
        return {
          json: {
            status: r.status, ms: performance.now() - t0, headers: r.headers,
            body: text.length > 1_000_000 ? text.slice(0, 1_000_000) : text, authorization: auth ? 'Bearer …' : null,
          },
        };
      },
    },
  ];
}
