// The SQL editor's API: run a script (optionally as a role or JWT), cancel it, EXPLAIN ANALYZE a
// statement (rolled back, so a plan never changes data), and the tabs and history kept server-side.
// A viewer's SQL on a server runs on the viewer's own connection as pesquel_viewer (admin/viewer/).
import { AdminError, pgErrorBody } from '../errors.js';
import type { AdminDeps } from '../deps.js';
import type { AdminConn } from '../db/admin-db.js';
import { field, intParam, type Route } from '../http-kit.js';
import { changesSchema, runScript, viewerScript } from '../sql-runner.js';
import type { Session } from '../auth/sessions.js';
import type { ViewerDb } from '../viewer/viewer-db.js';
import { runAsSettings, type RunAs } from '../run-as.js';
import { applySettings } from '../auth/read-only.js';
import { splitStatements } from '../sql-split.js';

const explainPrefix = 'EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ';

const summary = (r: Awaited<ReturnType<typeof runScript>>) =>
  r.error ? `error ${r.error.code}: ${r.error.message}` : r.results.map((x) => `${x.command} ${x.rowCount}`).join(', ');

/** Rows changed by the statements that change rows (SELECT's rows are read, not changed). */
const rowsChanged = (r: Awaited<ReturnType<typeof runScript>>) =>
  r.results.filter((x) => /^(INSERT|UPDATE|DELETE|MERGE|COPY)$/.test(x.command)).reduce((n, x) => n + x.rowCount, 0);

/**
 * The viewer's connection when this session's SQL must run there (a viewer, on a server), else null.
 * Never the admin's connection instead: without one, the viewer's SQL is refused.
 */
function viewerDb(d: AdminDeps, session: Session | null | undefined): ViewerDb | null {
  if (session?.user.role !== 'viewer' || d.adb.kind !== 'postgres') return null;
  if (!d.viewer) throw new AdminError(503, 'viewer-sql-off', 'viewer SQL is off: this admin server has no connection as the db-uri role');
  return d.viewer;
}

/** A history entry, written over the admin's connection (the viewer's role cannot write it). */
async function addHistory(d: AdminDeps, e: { sql: string; ms: number; ok: boolean; summary: string }): Promise<void> {
  if (d.store.available) await d.adb.use((c) => d.store.addHistory(c, e)).catch(() => undefined);
}

export function sqlRoutes(d: AdminDeps): Route[] {
  return [
    {
      method: 'POST', path: '/api/sql/run', role: 'viewer',
      handler: async (ctx) => {
        const body = await ctx.json<{ runId?: string; sql?: string; runAs?: RunAs }>();
        const script = body.sql ?? '';
        const settings = runAsSettings(body.runAs, d.config);
        const viewer = ctx.session?.user.role === 'viewer';
        const vdb = viewerDb(d, ctx.session);
        if (vdb) {
          const r = await vdb.run(body.runId ?? '', (c) => viewerScript(c, script, settings));
          await addHistory(d, { sql: script, ms: r.ms, ok: r.error === null, summary: summary(r) });
          return { json: r };
        }
        const result = await d.adb.run(body.runId ?? '', async (c) => {
          const r = await runScript(c, script, settings, viewer);
          // Every run of an editor or owner is audited (a SELECT may call a writing function).
          if (!viewer) await d.audit.record(ctx, { action: 'sql.run', sql: script, rows: rowsChanged(r), ok: r.error === null, detail: summary(r).slice(0, 500) }, c);
          // Recorded on the same connection: on PGlite this keeps it in one turn of the mutex.
          if (d.store.available) await d.store.addHistory(c, { sql: script, ms: r.ms, ok: r.error === null, summary: summary(r) }).catch(() => undefined);
          return r;
        });
        if (!viewer && changesSchema(script)) await d.reloadSchema();
        return { json: result };
      },
    },
    {
      method: 'POST', path: '/api/sql/cancel', role: 'viewer',
      handler: async (ctx) => {
        const runId = field(await ctx.json(), 'runId');
        if (!d.adb.canCancel) {
          return { json: { cancelled: false, reason: 'the embedded database runs each statement to its end: it cannot be cancelled' } };
        }
        // A run id is registered on one of the two connections: the viewer's or the admin's.
        return { json: { cancelled: (await d.viewer?.cancel(runId)) === true || await d.adb.cancel(runId) } };
      },
    },
    {
      method: 'POST', path: '/api/sql/explain', role: 'viewer',
      handler: async (ctx) => {
        const body = await ctx.json<{ sql?: string; runAs?: RunAs; runId?: string }>();
        const statements = splitStatements(body.sql ?? '');
        if (statements.length !== 1) throw new AdminError(400, 'one-statement', 'EXPLAIN ANALYZE takes exactly one statement: select it or put the cursor in it');
        const stmt = statements[0]!;
        const settings = runAsSettings(body.runAs, d.config);
        const vdb = viewerDb(d, ctx.session);
        // On the viewer's connection the read-only transaction is already open (and rolled back by it).
        const begin = vdb ? null : ctx.session?.user.role === 'viewer' ? 'BEGIN TRANSACTION READ ONLY' : 'BEGIN';
        const explain = async (c: AdminConn) => {
          if (begin) await c.query(begin);
          try {
            await applySettings(c, settings);
            const r = await c.query(explainPrefix + stmt.text, []);
            const plan = JSON.parse(Object.values(r.rows[0] ?? {})[0] ?? '[]') as unknown;
            return { plan, statement: stmt.text };
          } catch (err) {
            // Point the error into the editor's text, past the EXPLAIN prefix.
            const e = pgErrorBody(err);
            if (e?.position) return { error: { ...e, position: Math.max(1, e.position - explainPrefix.length + stmt.offset) } };
            if (e) return { error: e };
            throw err;
          } finally {
            if (begin) await c.query('ROLLBACK').catch(() => undefined);
          }
        };
        const entry = (out: Awaited<ReturnType<typeof explain>>, t0: number) => {
          const error = 'error' in out && out.error ? out.error.message : null;
          return { sql: `EXPLAIN ANALYZE ${stmt.text}`, ms: performance.now() - t0, ok: !error, summary: error ?? 'plan' };
        };
        const t0 = performance.now();
        if (vdb) {
          const out = await vdb.run(body.runId ?? '', explain);
          await addHistory(d, entry(out, t0));
          return { json: out };
        }
        return {
          json: await d.adb.run(body.runId ?? '', async (c) => {
            const out = await explain(c);
            // Kept in the history like a run, after the ROLLBACK so the entry stays.
            if (d.store.available) await d.store.addHistory(c, entry(out, t0)).catch(() => undefined);
            return out;
          }),
        };
      },
    },
    { method: 'GET', path: '/api/sql/tabs', handler: async () => ({ json: await d.store.tabs() }) },
    {
      method: 'PUT', path: '/api/sql/tabs', role: 'viewer',
      handler: async (ctx) => {
        const b = await ctx.json();
        const id = field(b, 'id');
        if (!/^[\w-]{1,64}$/.test(id)) throw new AdminError(400, 'bad-id', 'a tab id is 1–64 letters, digits, - or _');
        await d.store.saveTab({ id, title: String(b.title ?? 'Query').slice(0, 200), sql: String(b.sql ?? ''), position: Number(b.position) | 0 });
        return { json: { saved: true } };
      },
    },
    {
      method: 'DELETE', path: '/api/sql/tabs', role: 'viewer',
      handler: async (ctx) => {
        await d.store.deleteTab(ctx.url.searchParams.get('id') ?? '');
        return { json: { deleted: true } };
      },
    },
    { method: 'GET', path: '/api/sql/history', handler: async (ctx) => ({ json: await d.store.history(intParam(ctx.url, 'limit', 100, 500)) }) },
  ];
}
