// The audit log's API: a page of entries filtered by account, time and action, the accounts seen,
// and the filtered log as a CSV or JSON download. Owners and editors read it; viewers do not.
import { AdminError } from '../errors.js';
import type { AdminDeps } from '../deps.js';
import { intParam, type Route } from '../http-kit.js';
import type { AuditEntry, AuditFilter } from '../audit/audit-log.js';
import { csvLine } from '../csv.js';

const exportMax = 100_000;

function filterOf(url: URL, limit: number, offset: number): AuditFilter {
  const p = (k: string) => url.searchParams.get(k)?.trim() || null;
  for (const k of ['from', 'to']) {
    const v = p(k);
    if (v !== null && Number.isNaN(Date.parse(v))) throw new AdminError(400, 'bad-time', `"${k}" must be a date or an ISO timestamp`);
  }
  return { actor: p('actor'), from: p('from'), to: p('to'), action: p('action'), limit, offset };
}

const columns = ['id', 'at', 'actor', 'actorRole', 'action', 'sql', 'rows', 'ok', 'detail'] as const;

export function auditCsv(entries: readonly AuditEntry[]): string {
  return csvLine([...columns]) + entries.map((e) => csvLine(columns.map((c) => (e[c] === null ? null : String(e[c]))))).join('');
}

export function auditRoutes(d: AdminDeps): Route[] {
  return [
    {
      method: 'GET', path: '/api/audit', role: 'editor',
      handler: async (ctx) => ({ json: await d.audit.list(filterOf(ctx.url, intParam(ctx.url, 'limit', 50, 500), intParam(ctx.url, 'offset', 0, 10_000_000))) }),
    },
    { method: 'GET', path: '/api/audit/actors', role: 'editor', handler: async () => ({ json: await d.audit.actors() }) },
    {
      method: 'GET', path: '/api/audit/export', role: 'editor',
      handler: async (ctx) => {
        const format = ctx.url.searchParams.get('format') ?? 'csv';
        if (format !== 'csv' && format !== 'json') throw new AdminError(400, 'bad-format', 'format must be csv or json');
        const { entries } = await d.audit.list(filterOf(ctx.url, exportMax, 0));
        const name = `pesquel-audit-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.${format}`;
        const disposition = `attachment; filename="${name}"`;
        return format === 'csv'
          ? { body: auditCsv(entries), headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': disposition } }
          : { body: JSON.stringify(entries, null, 1), headers: { 'Content-Type': 'application/json; charset=utf-8', 'Content-Disposition': disposition } };
      },
    },
  ];
}
