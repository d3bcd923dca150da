// Admin accounts on PGlite and PostgreSQL: roles enforced by the server (a viewer gets 403 on every
// mutating route, including ones added later, and its SQL cannot write, not even through a volatile
// function), role changes and removals at once, the last owner kept, and the invitation flow.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { adminRoutes } from '../../src/admin/server.js';
import { neededRole } from '../../src/admin/auth/roles.js';
import type { AdminDeps } from '../../src/admin/deps.js';
import { accountClient, adminKinds, signInAs, startAdmin, type AdminClient, type AdminFixture } from './helpers.js';

/** The only changing routes a viewer may call: they read, or run SQL read-only. */
const viewerPosts = [
  'POST /api/logout', 'POST /api/data/rows', 'POST /api/data/preview', 'POST /api/sql/run', 'POST /api/sql/cancel',
  'POST /api/sql/explain', 'PUT /api/sql/tabs', 'DELETE /api/sql/tabs', 'POST /api/security/preview', 'POST /api/account/password',
  'POST /api/designer/preview',
];

type SqlRun = { results: { rows: (string | null)[][] }[]; error: { code: string; message: string } | null };

for (const kind of adminKinds()) {
  describe(`admin accounts (${kind})`, () => {
    let f: AdminFixture;
    let viewer: AdminClient;
    let editor: AdminClient;
    before(async () => {
      f = await startAdmin(kind);
      viewer = await accountClient(f, 'viewer@example.com', 'viewer');
      editor = await accountClient(f, 'editor@example.com', 'editor');
      await f.api.sql('CREATE TABLE IF NOT EXISTS public.ro_probe (id serial PRIMARY KEY, note text)');
      await f.api.sql(`CREATE OR REPLACE FUNCTION public.ro_write() RETURNS int VOLATILE LANGUAGE sql AS 'INSERT INTO public.ro_probe (note) VALUES (''x'') RETURNING id'`);
    });
    after(async () => { await f?.close(); });

    const probeCount = async () => Number((await f.api.sql('SELECT count(*)::int AS n FROM public.ro_probe'))[0]?.n);

    it('signs the single password in as the owner account admin', async () => {
      const s = await f.client.call<{ account: { email: string; role: string } }>('GET', '/api/session');
      assert.deepEqual(s.account, { email: 'admin', role: 'owner' });
      const users = await f.client.call<{ users: { email: string; role: string }[] }>('GET', '/api/users');
      assert.deepEqual(users.users.map((u) => `${u.email}:${u.role}`), ['admin:owner', 'editor@example.com:editor', 'viewer@example.com:viewer']);
      const v = await viewer.call<{ account: { role: string } }>('GET', '/api/session');
      assert.equal(v.account.role, 'viewer');
    });

    it('refuses a viewer every mutating route (403), and only the read-only ones are open to it', async () => {
      const routes = adminRoutes({ config: f.adminConfig } as unknown as AdminDeps);
      const open = routes.filter((r) => r.method !== 'GET' && !r.public && neededRole(r) === 'viewer').map((r) => `${r.method} ${r.path}`);
      assert.deepEqual(open.sort(), [...viewerPosts].sort());
      const guarded = routes.filter((r) => !r.public && neededRole(r) !== 'viewer');
      assert.ok(guarded.length >= 15, `${guarded.length} guarded routes`);
      for (const r of guarded) {
        const res = await viewer.fetch(r.path, { method: r.method, headers: { 'Content-Type': 'application/json' }, body: r.method === 'GET' ? undefined : '{}' });
        assert.equal(res.status, 403, `${r.method} ${r.path}: ${res.status}`);
        await res.body?.cancel();
      }
      const editorOnlyOwner = guarded.filter((r) => neededRole(r) === 'owner');
      for (const r of editorOnlyOwner) {
        const res = await editor.fetch(r.path, { method: r.method, headers: { 'Content-Type': 'application/json' }, body: r.method === 'GET' ? undefined : '{}' });
        assert.equal(res.status, 403, `editor ${r.method} ${r.path}`);
        await res.body?.cancel();
      }
    });

    it("runs a viewer's SQL read-only: no write, not through a function, COMMIT or SET TRANSACTION READ WRITE", async () => {
      const before = await probeCount();
      const run = (sql: string) => viewer.call<SqlRun>('POST', '/api/sql/run', { sql });
      const read = await run('SELECT count(*) FROM public.ro_probe');
      assert.equal(read.error, null);
      assert.equal(read.results[0]?.rows[0]?.[0], String(before));
      assert.equal((await run('SELECT public.ro_write()')).error?.code, '25006');
      assert.equal((await run("INSERT INTO public.ro_probe (note) VALUES ('y')")).error?.code, '25006');
      assert.equal((await run('SET TRANSACTION READ WRITE')).error?.code, '25001');
      assert.match((await run("COMMIT; INSERT INTO public.ro_probe (note) VALUES ('z')")).error?.message ?? '', /viewer cannot run COMMIT/);
      assert.match((await run('COPY public.ro_probe TO STDOUT')).error?.message ?? '', /viewer cannot run COPY/);
      assert.equal((await run('SELECT public.ro_write()')).error?.code, '25006', 'still read-only after a refused COMMIT');
      const asRole = await viewer.call<SqlRun>('POST', '/api/sql/run', { sql: 'SELECT public.ro_write()', runAs: { role: f.api.config.dbAnonRole } });
      assert.ok(asRole.error, 'run as a role stays read-only');
      const explain = await viewer.call<{ error?: { code: string } }>('POST', '/api/sql/explain', { sql: 'SELECT public.ro_write()' });
      assert.equal(explain.error?.code, '25006');
      const grid = await viewer.fetch('/api/data/apply', {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ schema: 'public', table: 'ro_probe', change: { op: 'insert', values: { note: 'v' } } }),
      });
      assert.equal(grid.status, 403);
      assert.equal(await probeCount(), before);
      // The editor's SQL does write.
      const wrote = await editor.call<SqlRun>('POST', '/api/sql/run', { sql: 'SELECT public.ro_write()' });
      assert.equal(wrote.error, null);
      assert.equal(await probeCount(), before + 1);
    });

    it('applies a role change at once, signs a removed account out, and keeps one owner', async () => {
      const temp = await accountClient(f, 'temp@example.com', 'editor');
      assert.equal((await temp.fetch('/api/audit')).status, 200);
      await f.client.call('POST', '/api/users/role', { email: 'temp@example.com', role: 'viewer' });
      assert.equal((await temp.fetch('/api/audit')).status, 403);
      await f.client.call('DELETE', '/api/users?email=temp%40example.com');
      assert.equal((await temp.fetch('/api/sql/tabs', { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{"id":"x"}' })).status, 401);
      assert.equal((await temp.call<{ signedIn: boolean }>('GET', '/api/session')).signedIn, false);
      const last = await f.client.fetch('/api/users/role', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'admin', role: 'editor' }) });
      assert.equal(last.status, 409);
      assert.match(await last.text(), /no owner/);
      const bad = await f.client.fetch('/api/users', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'x@example.com', role: 'root' }) });
      assert.equal(bad.status, 400);
      const wrong = await fetch(f.ui.url + '/api/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'viewer@example.com', password: 'nope-nope-nope' }) });
      assert.equal(wrong.status, 401);
    });

    it('adds an account with a generated password shown once, stored as argon2id', async () => {
      const r = await f.client.call<{ generatedPassword: string }>('POST', '/api/users', { email: 'Gen@Example.com', role: 'viewer' });
      assert.match(r.generatedPassword, /^[\w-]{24}$/);
      const [row] = await f.api.sql("SELECT password_hash FROM pesquel_admin.users WHERE email = 'gen@example.com'");
      assert.match(String(row?.password_hash), /^\$argon2id\$/);
      await signInAs(f.ui.url, 'gen@example.com', r.generatedPassword);
      const again = await f.client.fetch('/api/users', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'gen@example.com', role: 'viewer' }) });
      assert.equal(again.status, 409);
    });

    it("changes one's own password only with the current one", async () => {
      const me = await accountClient(f, 'self@example.com', 'viewer', 'self-password-1');
      const change = (current: string) => me.fetch('/api/account/password', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ current, password: 'self-password-2' }),
      });
      assert.equal((await change('wrong-password-1')).status, 403);
      assert.equal((await change('self-password-1')).status, 200);
      await signInAs(f.ui.url, 'self@example.com', 'self-password-2');
      const old = await fetch(f.ui.url + '/api/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'self@example.com', password: 'self-password-1' }) });
      assert.equal(old.status, 401);
    });

    it('invites: a one-time link that creates the account with its role, then is spent; expired ones fail', async () => {
      const inv = await f.client.call<{ path: string; expiresAt: string }>('POST', '/api/users/invite', { email: 'new@example.com', role: 'editor', hours: 2 });
      const token = /#\/invite\/([\w-]+)$/.exec(inv.path)?.[1] ?? '';
      assert.ok(token.length >= 40);
      const [stored] = await f.api.sql('SELECT token_hash FROM pesquel_admin.invites WHERE email = $1', ['new@example.com']);
      assert.notEqual(stored?.token_hash, token, 'only a digest is stored');
      const post = (path: string, body: unknown) => fetch(f.ui.url + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      assert.deepEqual(await (await post('/api/invite/peek', { token })).json(), { email: 'new@example.com', role: 'editor' });
      assert.equal((await post('/api/invite/accept', { token, password: 'short' })).status, 400);
      const ok = await post('/api/invite/accept', { token, password: 'new-user-password-1' });
      assert.equal(ok.status, 200);
      assert.deepEqual(((await ok.json()) as { account: unknown }).account, { email: 'new@example.com', role: 'editor' });
      assert.equal((await post('/api/invite/accept', { token, password: 'new-user-password-1' })).status, 404, 'spent');
      await signInAs(f.ui.url, 'new@example.com', 'new-user-password-1');

      const late = await f.client.call<{ path: string }>('POST', '/api/users/invite', { email: 'late@example.com', role: 'viewer' });
      await f.api.sql("UPDATE pesquel_admin.invites SET expires_at = now() - interval '1 minute' WHERE email = 'late@example.com'");
      assert.equal((await post('/api/invite/accept', { token: late.path.split('/').pop(), password: 'late-user-password' })).status, 404);
      assert.equal((await post('/api/invite/peek', { token: 'made-up' })).status, 404);
      const audit = await f.client.call<{ entries: { action: string; detail: string }[] }>('GET', '/api/audit?action=user.');
      const actions = audit.entries.map((e) => e.action);
      for (const a of ['user.add', 'user.invite', 'user.accept', 'user.role', 'user.remove']) assert.ok(actions.includes(a), `${a} in ${actions.join()}`);
      assert.ok(!JSON.stringify(audit).includes(token), 'no token in the audit log');
    });
  });
}
