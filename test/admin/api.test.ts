// The admin UI's server API on each backend: sign-in, CSRF and proxies; the object browser; the
// data grid (edits seen through the REST API); CSV; the SQL editor; policies enforced for the
// anonymous role; run-as; activity; cancel (PostgreSQL) and its refusal on the embedded database.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { activeQuery, adminClient, adminKinds, adminPassword, signIn, startAdmin, type AdminFixture } from './helpers.js';
import { startTestApi } from '../helpers/backends.js';
import { startAdminUi } from '../../src/admin/server.js';
import { createLogger } from '../../src/observability/logger.js';

type Json = Record<string, unknown>;

for (const kind of adminKinds()) {
  describe(`admin API (${kind})`, () => {
    let f: AdminFixture;
    before(async () => { f = await startAdmin(kind); });
    after(async () => { await f?.close(); });

    describe('sessions', () => {
      it('refuses a wrong password and unauthenticated calls', async () => {
        const c = adminClient(f.ui.url);
        assert.equal((await signIn(c, 'wrong')).status, 401);
        assert.equal((await c.fetch('/api/catalog/schemas')).status, 401);
        const s = await (await c.fetch('/api/session')).json() as Json;
        assert.equal(s.signedIn, false);
      });
      it('sets an HttpOnly SameSite=Strict cookie, Secure behind an https proxy', async () => {
        const plain = await fetch(f.ui.url + '/api/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ password: 'admin-test-password-123' }) });
        const cookie = plain.headers.get('set-cookie') ?? '';
        assert.match(cookie, /HttpOnly/);
        assert.match(cookie, /SameSite=Strict/);
        assert.doesNotMatch(cookie, /Secure/);
        const proxied = await fetch(f.ui.url + '/api/login', {
          method: 'POST', body: JSON.stringify({ password: 'admin-test-password-123' }),
          headers: { 'Content-Type': 'application/json', 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'admin.example.test', Origin: 'https://admin.example.test' },
        });
        assert.equal(proxied.status, 200);
        assert.match(proxied.headers.get('set-cookie') ?? '', /; Secure/);
      });
      it('requires the CSRF token and the same origin for changes', async () => {
        const noToken = await f.client.fetch('/api/sql/tabs', { method: 'PUT', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': 'nope' }, body: '{"id":"x"}' });
        assert.equal(noToken.status, 403);
        const crossOrigin = await f.client.fetch('/api/sql/tabs', { method: 'PUT', headers: { 'Content-Type': 'application/json', Origin: 'http://evil.test' }, body: '{"id":"x"}' });
        assert.equal(crossOrigin.status, 403);
        const loginCross = await fetch(f.ui.url + '/api/login', { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: 'http://evil.test' }, body: '{"password":"x"}' });
        assert.equal(loginCross.status, 403);
      });
      it('signs out', async () => {
        const c = adminClient(f.ui.url);
        await signIn(c);
        assert.equal((await c.fetch('/api/catalog/schemas')).status, 200);
        await c.call('POST', '/api/logout', {});
        assert.equal((await c.fetch('/api/catalog/schemas')).status, 401);
      });
      it('serves the client or a page saying how to build it, and nothing outside it', async () => {
        const r = await fetch(f.ui.url + '/');
        assert.ok(r.status === 200 || r.status === 503);
        assert.match(await r.text(), /PeSquel admin/);
        if (r.status === 200) assert.match(r.headers.get('content-security-policy') ?? '', /default-src 'self'/);
        assert.equal((await fetch(f.ui.url + '/%E0%A4%A')).status, 400);
        const escape = await fetch(f.ui.url + '/..%2f..%2fpackage.json');
        assert.doesNotMatch(await escape.text(), /"workspaces"/);
      });
    });

    describe('password and start-up', () => {
      it('generates a password once, keeps only its hash, and accepts it after a restart', async () => {
        const start = () => startAdminUi({
          config: { ...f.adminConfig, adminPassword: null },
          db: f.api.running.db, apiUrl: f.api.url, logger: createLogger('error'), reloadSchema: async () => undefined, port: 0, host: '127.0.0.1',
        });
        // A database without accounts (the fixture's are put back afterwards, same ids).
        const kept = await f.api.sql('SELECT id::text, email, role, password_hash FROM pesquel_admin.users');
        await f.api.sql('DELETE FROM pesquel_admin.users');
        try {
          const first = await start();
          const generated = first.generatedPassword;
          // Stored only once shown (pesquel start calls this after printing its banner).
          await first.keepGeneratedPassword();
          await first.close();
          assert.match(generated ?? '', /^[\w-]{24}$/);
          const stored = await f.api.sql("SELECT role, password_hash FROM pesquel_admin.users WHERE email = 'admin'");
          assert.equal(stored[0]?.role, 'owner');
          assert.match(String(stored[0]?.password_hash), /^\$argon2id\$/);
          assert.ok(!String(stored[0]?.password_hash).includes(generated!));
          const second = await start();
          try {
            assert.equal(second.generatedPassword, null);
            assert.equal((await signIn(adminClient(second.url), generated!)).status, 200);
          } finally {
            await second.close();
          }
        } finally {
          await f.api.sql('DELETE FROM pesquel_admin.users');
          for (const u of kept) {
            await f.api.sql('INSERT INTO pesquel_admin.users (id, email, role, password_hash) VALUES ($1, $2, $3, $4)', [u.id, u.email, u.role, u.password_hash]);
          }
        }
      });
    });

    it('is started by startPesquel on admin-ui-port and listed in Running.adminUiUrl', async () => {
      const port = await new Promise<number>((resolve) => {
        const probe = createServer().listen(0, '127.0.0.1', () => {
          const p = (probe.address() as { port: number }).port;
          probe.close(() => resolve(p));
        });
      });
      // On PostgreSQL without admin-db-uri: the admin falls back to the API's role and still starts.
      const api = await startTestApi(kind, { options: { 'admin-ui-port': String(port), 'admin-password': adminPassword } });
      try {
        assert.equal(api.running.adminUiUrl, `http://127.0.0.1:${port}`);
        const c = adminClient(api.running.adminUiUrl!);
        assert.equal((await signIn(c)).status, 200);
        assert.equal(((await c.call<Json>('GET', '/api/session')).backend), kind);
      } finally {
        await api.close();
      }
    });

    describe('object browser', () => {
      it('lists schemas, objects and extensions', async () => {
        const schemas = await f.client.call<Json[]>('GET', '/api/catalog/schemas');
        assert.ok(schemas.some((s) => s.name === 'api'));
        await f.api.sql('CREATE VIEW api.open_todos AS SELECT * FROM api.todos WHERE NOT completed');
        await f.api.sql('CREATE SEQUENCE api.counter START 5');
        await f.api.sql('CREATE FUNCTION api.plus(a int, b int) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT a + b $$');
        const objects = await f.client.call<Json[]>('GET', '/api/catalog/objects?schema=api');
        const kinds = Object.fromEntries(objects.map((o) => [o.name, o.kind]));
        assert.deepEqual([kinds.todos, kinds.open_todos, kinds.counter, kinds.plus], ['table', 'view', 'sequence', 'function']);
        const fn = objects.find((o) => o.name === 'plus') as Json;
        const detail = await f.client.call<Json>('GET', `/api/catalog/function?oid=${fn.oid}`);
        assert.match(String(detail.ddl), /CREATE OR REPLACE FUNCTION api\.plus\(a integer, b integer\)/);
        const seq = await f.client.call<Json>('GET', `/api/catalog/relation?oid=${(objects.find((o) => o.name === 'counter') as Json).oid}`);
        assert.match(String(seq.ddl), /CREATE SEQUENCE "api"\."counter"[\s\S]*START WITH 5/);
        const exts = await f.client.call<Json[]>('GET', '/api/catalog/extensions');
        assert.ok(exts.some((e) => e.name === 'plpgsql' && e.installed_version));
      });
      it('shows a table with columns, constraints, indexes, triggers, policies and DDL', async () => {
        const objects = await f.client.call<Json[]>('GET', '/api/catalog/objects?schema=api');
        const todos = objects.find((o) => o.name === 'todos') as Json;
        const d = await f.client.call<{ columns: Json[]; constraints: Json[]; indexes: Json[]; policies: Json[]; ddl: string; relation: Json }>('GET', `/api/catalog/relation?oid=${todos.oid}`);
        assert.deepEqual(d.columns.map((c) => c.name), ['id', 'title', 'completed', 'created_at']);
        assert.equal(d.columns[0]?.type, 'uuid');
        assert.equal(d.columns[0]?.default, 'gen_random_uuid()');
        assert.deepEqual((d.relation.primary_key as string[]), ['id']);
        assert.ok(d.constraints.some((c) => c.type === 'primary key'));
        assert.ok(d.indexes.some((i) => i.primary === 't'));
        assert.equal(d.relation.rls_enabled, true);
        assert.ok(d.policies.some((p) => p.name === 'Allow anonymous read'));
        assert.match(d.ddl, /CREATE TABLE "api"\."todos" \(\n {2}"id" uuid DEFAULT gen_random_uuid\(\) NOT NULL/);
        assert.match(d.ddl, /ALTER TABLE "api"\."todos" ENABLE ROW LEVEL SECURITY;/);
        assert.match(d.ddl, /CREATE POLICY "Allow anonymous read" ON "api"\."todos" AS PERMISSIVE FOR SELECT TO "api_anon", "api_user" USING \(true\);/);
      });
      it('offers table and column names for completion', async () => {
        const names = await f.client.call<{ schema: string; name: string; columns: string[] }[]>('GET', '/api/catalog/completion');
        assert.deepEqual(names.find((n) => n.schema === 'api' && n.name === 'todos')?.columns, ['id', 'title', 'completed', 'created_at']);
      });
    });

    describe('data grid', () => {
      const table = { schema: 'api', table: 'todos' };
      it('previews an insert as SQL, runs it, and the REST API sees the row', async () => {
        const change = { op: 'insert', values: { title: "Buy milk's", completed: 'false' } };
        const preview = await f.client.call<{ sql: string }>('POST', '/api/data/preview', { ...table, change });
        assert.match(preview.sql, /^INSERT INTO "api"\."todos" \("title", "completed"\) VALUES \('Buy milk''s', 'false'\) RETURNING "id"::text AS "id"/);
        const applied = await f.client.call<{ sql: string; row: string[] }>('POST', '/api/data/apply', { ...table, change });
        assert.equal(applied.sql, preview.sql);
        const id = applied.row[0];
        const rest = await (await f.api.fetch(`/todos?id=eq.${id}&select=title,completed`)).json();
        assert.deepEqual(rest, [{ title: "Buy milk's", completed: false }]);
      });
      it('pages, sorts and filters on the server', async () => {
        for (const t of ['a', 'b', 'c']) await f.client.call('POST', '/api/data/apply', { ...table, change: { op: 'insert', values: { title: `page-${t}` } } });
        const page = await f.client.call<{ rows: string[][]; total: number; columns: Json[] }>('POST', '/api/data/rows', {
          ...table, limit: 2, offset: 0, sort: [{ column: 'title', dir: 'desc' }], filters: [{ column: 'title', op: 'like', value: 'page-%' }],
        });
        assert.equal(page.total, 3);
        assert.deepEqual(page.rows.map((r) => r[1]), ['page-c', 'page-b']);
        assert.deepEqual(page.columns.map((c) => c.type), ['uuid', 'text', 'boolean', 'timestamp with time zone']);
        const bad = await f.client.fetch('/api/data/rows', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ...table, sort: [{ column: 'nope"; drop', dir: 'asc' }] }) });
        assert.equal(bad.status, 400);
      });
      it('updates and deletes by primary key; refuses tables without one', async () => {
        const [row] = await f.api.sql("SELECT id::text FROM api.todos WHERE title = 'page-a'") as { id: string }[];
        const upd = await f.client.call<{ sql: string; row: string[] }>('POST', '/api/data/apply', { ...table, change: { op: 'update', key: { id: row!.id }, values: { completed: 'true' } } });
        assert.match(upd.sql, /^UPDATE "api"\."todos" SET "completed" = 'true' WHERE "id" = '[0-9a-f-]{36}' RETURNING/);
        assert.deepEqual(await (await f.api.fetch(`/todos?id=eq.${row!.id}&select=completed`)).json(), [{ completed: true }]);
        await f.client.call('POST', '/api/data/apply', { ...table, change: { op: 'delete', key: { id: row!.id } } });
        assert.deepEqual(await (await f.api.fetch(`/todos?id=eq.${row!.id}`)).json(), []);
        const gone = await f.client.fetch('/api/data/apply', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ...table, change: { op: 'delete', key: { id: row!.id } } }) });
        assert.equal(gone.status, 409);
        await f.api.sql('CREATE TABLE api.nopk (a int)');
        const nopk = await f.client.fetch('/api/data/preview', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ schema: 'api', table: 'nopk', change: { op: 'delete', key: { a: '1' } } }) });
        assert.equal(nopk.status, 400);
        assert.match(((await nopk.json()) as { error: Json }).error.message as string, /no primary key/);
      });
      it('exports CSV and imports it again', async () => {
        await f.api.sql("CREATE TABLE api.csvt (id int PRIMARY KEY, note text)");
        await f.api.sql("INSERT INTO api.csvt VALUES (1, 'plain'), (2, 'with, comma and \"quotes\"'), (3, ''), (4, NULL)");
        const r = await f.client.fetch('/api/data/export?schema=api&table=csvt');
        assert.match(r.headers.get('content-disposition') ?? '', /api\.csvt\.csv/);
        const csv = await r.text();
        assert.equal(csv, 'id,note\r\n1,plain\r\n2,"with, comma and ""quotes"""\r\n3,""\r\n4,\r\n');
        await f.api.sql('CREATE TABLE api.csvt2 (id int PRIMARY KEY, note text)');
        const imported = await f.client.call<{ inserted: number }>('POST', '/api/data/import', { schema: 'api', table: 'csvt2', csv });
        assert.equal(imported.inserted, 4);
        const back = await f.api.sql('SELECT id, note FROM api.csvt2 ORDER BY id');
        assert.deepEqual(back.map((x) => x.note), ['plain', 'with, comma and "quotes"', '', null]);
      });
    });

    describe('SQL editor', () => {
      it('runs several statements with counts, timings and an error position in the script', async () => {
        const script = "select 1 as one, 'x' as two;\ncreate table api.edt (n int);\ninsert into api.edt select generate_series(1, 3);\nselect * from nosuch_table;\nselect 2";
        const r = await f.client.call<{ results: Json[]; error: Json }>('POST', '/api/sql/run', { runId: randomUUID(), sql: script });
        assert.equal(r.results.length, 3);
        assert.deepEqual(r.results[0]?.rows, [['1', 'x']]);
        assert.deepEqual((r.results[0]?.columns as Json[]).map((c) => c.name), ['one', 'two']);
        assert.equal(r.results[2]?.rowCount, 3);
        assert.equal(typeof r.results[0]?.ms, 'number');
        assert.equal(r.error.code, '42P01');
        assert.equal(r.error.statementIndex, 3);
        assert.equal(script.slice((r.error.position as number) - 1).slice(0, 12), 'nosuch_table');
      });
      it('explains a statement as a plan with actual times and changes nothing', async () => {
        const r = await f.client.call<{ plan: [{ Plan: Json; 'Execution Time': number }] }>('POST', '/api/sql/explain', { sql: 'delete from api.edt' });
        assert.equal(r.plan[0].Plan['Node Type'], 'ModifyTable');
        assert.equal(typeof r.plan[0]['Execution Time'], 'number');
        assert.deepEqual(await f.api.sql('SELECT count(*)::int AS n FROM api.edt'), [{ n: 3 }]);
      });
      it('keeps tabs and history on the server', async () => {
        await f.client.call('PUT', '/api/sql/tabs', { id: 'tab-1', title: 'Todos', sql: 'select * from api.todos', position: 0 });
        await f.client.call('PUT', '/api/sql/tabs', { id: 'tab-2', title: 'Two', sql: 'select 2', position: 1 });
        await f.client.call('DELETE', '/api/sql/tabs?id=tab-2');
        const tabs = await f.client.call<Json[]>('GET', '/api/sql/tabs');
        assert.deepEqual(tabs, [{ id: 'tab-1', title: 'Todos', sql: 'select * from api.todos', position: 0 }]);
        const history = await f.client.call<Json[]>('GET', '/api/sql/history?limit=5');
        assert.ok(history.some((h) => String(h.sql).startsWith("select 1 as one") && h.ok === false));
        // Newest first by number, not as text (entry 9 used to sort before 17): past ten runs, the
        // last runs come back in the order they ran, newest first.
        for (let i = 0; i < 12; i++) await f.client.call('POST', '/api/sql/run', { sql: `select ${i} as history_order` });
        const newest = await f.client.call<Json[]>('GET', '/api/sql/history?limit=3');
        assert.deepEqual(newest.map((h) => h.sql), ['select 11 as history_order', 'select 10 as history_order', 'select 9 as history_order']);
      });
      it('runs as a role and as a JWT, with the policies applying', async () => {
        await f.api.sql("CREATE TABLE api.secret (id int PRIMARY KEY, owner text)");
        await f.api.sql("INSERT INTO api.secret VALUES (1, 'alice'), (2, 'bob')");
        await f.api.sql("ALTER TABLE api.secret ENABLE ROW LEVEL SECURITY");
        await f.api.sql("GRANT SELECT ON api.secret TO api_anon, api_user");
        await f.api.sql("CREATE POLICY mine ON api.secret FOR SELECT TO api_user USING (owner = current_setting('request.jwt.claims', true)::json->>'sub')");
        const asAnon = await f.client.call<{ results: { rows: string[][] }[]; notices: string[] }>('POST', '/api/sql/run', { sql: 'select current_user, count(*) from api.secret', runAs: { role: 'api_anon' } });
        assert.deepEqual(asAnon.results[0]?.rows, [['api_anon', '0']]);
        const payload = Buffer.from(JSON.stringify({ role: 'api_user', sub: 'bob' })).toString('base64url');
        const asJwt = await f.client.call<{ results: { rows: string[][] }[] }>('POST', '/api/sql/run', { sql: 'select current_user, owner from api.secret', runAs: { jwt: `eyJhbGciOiJIUzI1NiJ9.${payload}.sig` } });
        assert.deepEqual(asJwt.results[0]?.rows, [['api_user', 'bob']]);
      });
    });

    describe('roles and security', () => {
      it('lists roles with memberships and tables with RLS', async () => {
        const roles = await f.client.call<Json[]>('GET', '/api/security/roles');
        // On a server the admin UI grants pesquel_viewer (its viewers' SQL role) to the authenticator.
        assert.deepEqual(roles.find((r) => r.name === 'authenticator')?.member_of, ['api_anon', 'api_user', ...(kind === 'postgres' ? ['pesquel_viewer'] : [])]);
        const tables = await f.client.call<Json[]>('GET', '/api/security/tables?schema=api');
        assert.equal(tables.find((t) => t.name === 'todos')?.rls_enabled, 't');
      });
      it('creates, replaces and drops a policy that the REST API enforces for the anonymous role', async () => {
        await f.api.sql("CREATE TABLE api.memos (id int PRIMARY KEY, public boolean NOT NULL)");
        await f.api.sql("INSERT INTO api.memos VALUES (1, true), (2, false)");
        await f.api.sql("GRANT SELECT ON api.memos TO api_anon");
        await f.api.reload();
        await f.client.call('POST', '/api/security/apply', { change: { action: 'rls', schema: 'api', table: 'memos', enable: true, force: false } });
        assert.deepEqual(await (await f.api.fetch('/memos?select=id')).json(), []);
        const policy = { schema: 'api', table: 'memos', name: 'public notes', command: 'SELECT', permissive: true, roles: ['api_anon'], using: 'public', check: null };
        const preview = await f.client.call<{ sql: string[] }>('POST', '/api/security/preview', { change: { action: 'create', policy } });
        assert.deepEqual(preview.sql, ['CREATE POLICY "public notes" ON "api"."memos" AS PERMISSIVE FOR SELECT TO "api_anon" USING (public);']);
        await f.client.call('POST', '/api/security/apply', { change: { action: 'create', policy } });
        assert.deepEqual(await (await f.api.fetch('/memos?select=id')).json(), [{ id: 1 }]);
        await f.client.call('POST', '/api/security/apply', { change: { action: 'replace', oldName: 'public notes', policy: { ...policy, name: 'all notes', using: 'true' } } });
        assert.deepEqual(await (await f.api.fetch('/memos?select=id&order=id')).json(), [{ id: 1 }, { id: 2 }]);
        await f.client.call('POST', '/api/security/apply', { change: { action: 'drop', schema: 'api', table: 'memos', name: 'all notes' } });
        assert.deepEqual(await (await f.api.fetch('/memos?select=id')).json(), []);
      });
      it('runs an API request as the anonymous role', async () => {
        const r = await f.client.call<{ status: number; body: string }>('POST', '/api/security/api-request', { method: 'GET', path: '/todos?select=title&limit=1', runAs: { role: 'api_anon' } });
        assert.equal(r.status, 200);
        assert.ok(Array.isArray(JSON.parse(r.body)));
        const bad = await f.client.fetch('/api/security/api-request', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ path: '//evil.test/x' }) });
        assert.equal(bad.status, 400);
      });
    });

    describe('activity', () => {
      it('shows sessions, sizes and both pools', async () => {
        const a = await f.client.call<{ sessions: Json[]; size: Json; tables: Json[]; pools: { api: Json; admin: Json } }>('GET', '/api/activity');
        assert.ok(a.sessions.length >= 1);
        assert.match(String(a.size.database_size), /\d+ (bytes|kB|MB)/);
        assert.ok(a.tables.some((t) => t.name === 'todos'));
        assert.equal(typeof a.pools.api.max, 'number');
        assert.equal(typeof a.pools.admin.max, 'number');
      });
      if (kind === 'postgres') {
        it('cancels a long query from the editor and closes idle admin connections', async () => {
          const runId = randomUUID();
          const running = f.client.call<{ error: Json }>('POST', '/api/sql/run', { runId, sql: 'select pg_sleep(30)' });
          await activeQuery(f, 'select pg_sleep(30)');
          const t0 = Date.now();
          assert.deepEqual(await f.client.call('POST', '/api/sql/cancel', { runId }), { cancelled: true });
          const r = await running;
          assert.equal(r.error.code, '57014');
          assert.ok(Date.now() - t0 < 5000);
        });
        it('cancels another backend from the activity screen', async () => {
          const other = f.api.sql('select pg_sleep(20)').catch((e: Error) => e);
          await activeQuery(f, 'select pg_sleep(20)');
          const a = await f.client.call<{ sessions: Json[] }>('GET', '/api/activity');
          const victim = a.sessions.find((s) => String(s.query).includes('pg_sleep(20)') && s.admin === false);
          assert.ok(victim);
          assert.deepEqual(await f.client.call('POST', '/api/activity/signal', { pid: Number(victim.pid), action: 'cancel' }), { ok: true });
          assert.match(String(await other), /canceling statement/);
        });
        it('starts without admin-db-uri as the API role, with tabs off and a clear reason', async () => {
          const ui = await startAdminUi({
            config: f.api.config, db: f.api.running.db, apiUrl: f.api.url, logger: createLogger('error'), reloadSchema: async () => undefined, port: 0, host: '127.0.0.1',
          });
          try {
            const c = adminClient(ui.url);
            assert.equal((await signIn(c)).status, 200);
            const tabs = await c.fetch('/api/sql/tabs');
            assert.equal(tabs.status, 503);
            assert.match(((await tabs.json()) as { error: Json }).error.message as string, /admin-db-uri/);
            const run = await c.call<{ results: Json[] }>('POST', '/api/sql/run', { sql: 'select current_user' });
            assert.deepEqual(run.results[0]?.rows, [['authenticator']]);
          } finally {
            await ui.close();
          }
        });
      } else {
        it('explains that the embedded database cannot cancel', async () => {
          const r = await f.client.call<Json>('POST', '/api/sql/cancel', { runId: 'x' });
          assert.equal(r.cancelled, false);
          assert.match(String(r.reason), /embedded/);
          const s = await f.client.fetch('/api/activity/signal', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"pid":1,"action":"cancel"}' });
          assert.equal(s.status, 409);
        });
      }
    });
  });
}
