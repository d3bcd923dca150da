// Activity: pg_stat_activity with blockers and ungranted locks, cancel/terminate a backend, the
// database's and the largest tables' sizes, and both pools (the API's and the admin's own).
import { AdminError } from '../errors.js';
import type { AdminDeps } from '../deps.js';
import type { Route } from '../http-kit.js';
import { activitySql, locksSql, sizesSql, tableSizesSql } from '../catalog/activity.sql.js';

export function activityRoutes(d: AdminDeps): Route[] {
  return [
    {
      method: 'GET', path: '/api/activity',
      handler: async () => {
        const [sessions, locks, sizes, tables] = await d.adb.use(async (c) =>
          [await c.rows(activitySql), await c.rows(locksSql), await c.rows(sizesSql), await c.rows(tableSizesSql)] as const);
        const own = new Set(d.adb.ownPids());
        return {
          json: {
            backend: d.adb.kind,
            sessions: sessions.map((s) => ({ ...s, admin: own.has(Number(s.pid)) || s.self === 't' })),
            locks, size: sizes[0] ?? null, tables,
            pools: { api: d.apiDb.poolStats(), admin: d.adb.stats() },
          },
        };
      },
    },
    {
      method: 'POST', path: '/api/activity/signal',
      handler: async (ctx) => {
        const b = await ctx.json<{ pid?: number; action?: string }>();
        const pid = Number(b.pid);
        if (!Number.isInteger(pid) || pid <= 0) throw new AdminError(400, 'bad-pid', 'pid must be a positive whole number');
        if (b.action !== 'cancel' && b.action !== 'terminate') throw new AdminError(400, 'bad-action', 'action must be cancel or terminate');
        if (d.adb.kind === 'pglite') throw new AdminError(409, 'embedded', 'the embedded database has a single session: there is nothing else to cancel or terminate');
        if (d.adb.ownPids().includes(pid)) throw new AdminError(409, 'own-session', "that is one of the admin UI's own connections");
        const fn = b.action === 'cancel' ? 'pg_cancel_backend' : 'pg_terminate_backend';
        const [row] = await d.adb.use((c) => c.rows<{ ok: string }>(`SELECT ${fn}($1::int)::text AS ok`, [String(pid)]));
        await d.audit.record(ctx, { action: `activity.${b.action}`, detail: `pid ${pid}` });
        return { json: { ok: row?.ok === 'true' } };
      },
    },
  ];
}
