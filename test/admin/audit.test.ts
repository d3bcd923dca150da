// The audit log on PGlite and PostgreSQL: an editor's grid edits and SQL runs are recorded with
// who, when, the SQL and rows affected; a viewer's read-only runs are not, and a viewer cannot read
// the log; filters by account, time and action, pages, and the CSV/JSON export.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { accountClient, adminKinds, startAdmin, type AdminClient, type AdminFixture } from './helpers.js';
import type { AuditEntry } from '../../src/admin/audit/audit-log.js';

type Page = { entries: AuditEntry[]; total: number };

for (const kind of adminKinds()) {
  describe(`admin audit log (${kind})`, () => {
    let f: AdminFixture;
    let editor: AdminClient;
    let viewer: AdminClient;
    const startedAt = new Date(Date.now() - 1000).toISOString();
    before(async () => {
      f = await startAdmin(kind);
      editor = await accountClient(f, 'ed@example.com', 'editor');
      viewer = await accountClient(f, 'vi@example.com', 'viewer');
      await f.api.sql('CREATE TABLE IF NOT EXISTS public.audit_probe (id int PRIMARY KEY, name text)');
      await f.api.sql("INSERT INTO public.audit_probe VALUES (1, 'one'), (2, 'two') ON CONFLICT DO NOTHING");
    });
    after(async () => { await f?.close(); });

    it("records an editor's grid edit: who, when, the SQL and one row", async () => {
      await editor.call('POST', '/api/data/apply', { schema: 'public', table: 'audit_probe', change: { op: 'update', key: { id: '1' }, values: { name: 'uno' } } });
      await editor.call('POST', '/api/data/apply', { schema: 'public', table: 'audit_probe', change: { op: 'delete', key: { id: '2' } } });
      const page = await f.client.call<Page>('GET', '/api/audit?actor=ed%40example.com&action=grid.');
      assert.equal(page.total, 2);
      const [del, upd] = page.entries;
      assert.equal(upd?.action, 'grid.update');
      assert.equal(upd?.actor, 'ed@example.com');
      assert.equal(upd?.actorRole, 'editor');
      assert.equal(upd?.rows, 1);
      assert.match(upd?.sql ?? '', /^UPDATE "public"."audit_probe" SET "name" = 'uno' WHERE "id" = '1'/);
      assert.equal(upd?.detail, 'public.audit_probe');
      assert.ok(Date.parse(upd?.at ?? '') >= Date.parse(startedAt));
      assert.equal(del?.action, 'grid.delete');
    });

    it("records an editor's SQL runs with the rows they changed, not a viewer's read-only ones", async () => {
      await editor.call('POST', '/api/sql/run', { sql: "INSERT INTO public.audit_probe VALUES (3, 'three'), (4, 'four'); SELECT 1" });
      await viewer.call('POST', '/api/sql/run', { sql: 'SELECT count(*) FROM public.audit_probe' });
      const runs = await f.client.call<Page>('GET', '/api/audit?action=sql.run');
      assert.equal(runs.total, 1);
      assert.equal(runs.entries[0]?.rows, 2);
      assert.match(runs.entries[0]?.sql ?? '', /INSERT INTO public\.audit_probe/);
      assert.equal((await viewer.fetch('/api/audit')).status, 403);
      assert.equal((await viewer.fetch('/api/audit/export')).status, 403);
    });

    it('filters by time and pages', async () => {
      const future = new Date(Date.now() + 3600_000).toISOString();
      assert.equal((await f.client.call<Page>('GET', `/api/audit?from=${encodeURIComponent(future)}`)).total, 0);
      const all = await f.client.call<Page>('GET', `/api/audit?from=${encodeURIComponent(startedAt)}`);
      assert.ok(all.total >= 5, `${all.total} entries`);
      const p1 = await f.client.call<Page>('GET', '/api/audit?limit=2&offset=0');
      const p2 = await f.client.call<Page>('GET', '/api/audit?limit=2&offset=2');
      assert.equal(p1.entries.length, 2);
      assert.ok(Number(p1.entries[1]?.id) > Number(p2.entries[0]?.id), 'newest first, pages do not overlap');
      assert.deepEqual((await f.client.call<string[]>('GET', '/api/audit/actors')).includes('ed@example.com'), true);
      const bad = await f.client.fetch('/api/audit?from=yesterday-ish');
      assert.equal(bad.status, 400);
    });

    it('exports the filtered log as CSV and JSON', async () => {
      const csv = await f.client.fetch('/api/audit/export?format=csv&action=grid.');
      assert.equal(csv.status, 200);
      assert.match(csv.headers.get('content-disposition') ?? '', /attachment; filename="pesquel-audit-.*\.csv"/);
      const lines = (await csv.text()).trim().split('\r\n');
      assert.equal(lines[0], 'id,at,actor,actorRole,action,sql,rows,ok,detail');
      assert.equal(lines.length, 3);
      assert.match(lines[2] ?? '', /,ed@example.com,editor,grid.update,"UPDATE ""public"".""audit_probe""/);
      const json = await f.client.fetch('/api/audit/export?format=json&actor=ed%40example.com');
      const entries = (await json.json()) as AuditEntry[];
      assert.ok(entries.length >= 3 && entries.every((e) => e.actor === 'ed@example.com'));
      assert.equal((await f.client.fetch('/api/audit/export?format=xml')).status, 400);
    });

    it('never records a password', async () => {
      await f.client.call('POST', '/api/users', { email: 'pw@example.com', role: 'viewer', password: 'very-secret-password-42' });
      const text = await (await f.client.fetch('/api/audit/export?format=json')).text();
      assert.match(text, /user\.add/);
      assert.doesNotMatch(text, /very-secret-password-42/);
    });
  });
}
