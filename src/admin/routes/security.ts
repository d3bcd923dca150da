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

const methods = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'HEAD', 'OPTIONS'];

async function body(ctx: Parameters<Route['handler']>[0]): Promise<PolicyChange> {
  const b = await ctx.json<{ change?: PolicyChange }>();
  if (!b.change) throw new AdminError(400, 'missing-field', '"change" is required');
  return b.change;
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
      method: 'POST', path: '/api/security/preview',
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
        return { json: { sql: statements.map((s) => renderInline(s) + ';') } };
      },
    },
    {
      method: 'POST', path: '/api/security/api-request',
      handler: async (ctx) => {
        const b = await ctx.json<{ method?: string; path?: string; body?: string; runAs?: RunAs; headers?: Record<string, string> }>();
        const method = (b.method ?? 'GET').toUpperCase();
        if (!methods.includes(method)) throw new AdminError(400, 'bad-method', `unsupported method ${method}`);
        const path = b.path ?? '/';
        if (!path.startsWith('/') || path.startsWith('//')) throw new AdminError(400, 'bad-path', 'the path must start with a single /');
        const headers: Record<string, string> = { Accept: 'application/json', ...(b.headers ?? {}) };
        const auth = await apiAuthorization(b.runAs, d.config);
        if (auth) headers.Authorization = auth;
        if (b.body) headers['Content-Type'] ??= 'application/json';
        const t0 = performance.now();
        const r = await fetch(new URL(path, d.apiUrl), { method, headers, body: b.body && method !== 'GET' && method !== 'HEAD' ? b.body : undefined });
        const text = await r.text();
        return {
          json: {
            status: r.status, ms: performance.now() - t0, headers: Object.fromEntries(r.headers.entries()),
            body: text.length > 1_000_000 ? text.slice(0, 1_000_000) : text, authorization: auth ? 'Bearer …' : null,
          },
        };
      },
    },
  ];
}
