// A viewer's SQL cannot reach the server's files, programs or other sessions: on PostgreSQL it runs
// over db-uri as pesquel_viewer (RESET ROLE lands on the non-superuser authenticator), behind
// pgBouncer too; the API refuses the role; on PGlite the embedded residual (no host files).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { SignJWT } from 'jose';
import { accountClient, activeQuery, startAdmin, type AdminClient, type AdminFixture } from './helpers.js';
import { startTestApi, type TestApi } from '../helpers/backends.js';
import { pgBinariesAvailable, pgBouncerAvailable } from '../helpers/postgres-server.js';
import { until } from '../helpers/until.js';
import { PgAdminDb } from '../../src/admin/db/pg-admin.js';
import { ViewerDb } from '../../src/admin/viewer/viewer-db.js';
import { prepareViewerRole } from '../../src/admin/viewer/viewer-role.js';
import { viewerScript } from '../../src/admin/sql-runner.js';

type SqlRun = { results: { rows: (string | null)[][] }[]; error: { code: string; message: string } | null };

const secret = 'viewer-isolation-jwt-secret-0123456789abcdef';
const token = (role: string) => new SignJWT({ role }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(secret));
const programProbe = '/tmp/pesquel-viewer-isolation-probe';
const copyToProgram = `DO $$BEGIN EXECUTE 'COPY (SELECT 1) TO PROGRAM ''id > ${programProbe}'''; END$$`;

const fixture = `
CREATE TABLE public.vi_secret (id int PRIMARY KEY, note text);
INSERT INTO public.vi_secret VALUES (1, 'only for the admin'), (2, 'and viewers');
REVOKE ALL ON public.vi_secret FROM PUBLIC;
CREATE TABLE public.vi_rls (id int PRIMARY KEY);
INSERT INTO public.vi_rls VALUES (1), (2), (3);
ALTER TABLE public.vi_rls ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON public.vi_rls TO api_anon;`;

const noPg = !pgBinariesAvailable() && 'PostgreSQL not found';

describe('viewer SQL isolation (postgres)', { skip: noPg }, () => {
  let f: AdminFixture;
  let viewer: AdminClient;
  let editor: AdminClient;
  const run = (sql: string, runAs?: { role: string }) => viewer.call<SqlRun>('POST', '/api/sql/run', { sql, ...(runAs ? { runAs } : {}) });
  const errorOf = async (sql: string) => (await run(sql)).error;

  before(async () => {
    rmSync(programProbe, { force: true });
    f = await startAdmin('postgres', [], { 'jwt-secret': secret });
    await f.api.sql(fixture);
    viewer = await accountClient(f, 'viewer@example.com', 'viewer');
    editor = await accountClient(f, 'editor@example.com', 'editor');
  });
  after(async () => { await f?.close(); });

  it('runs as pesquel_viewer over the authenticator and reads every table and row', async () => {
    const who = await run('SELECT current_user, session_user');
    assert.equal(who.error, null);
    assert.deepEqual(who.results[0]?.rows, [['pesquel_viewer', 'authenticator']]);
    const read = await run('SELECT note FROM public.vi_secret ORDER BY id; SELECT count(*) FROM public.vi_rls; SELECT count(*) FROM pesquel.internal_migrations');
    assert.equal(read.error, null);
    assert.deepEqual(read.results[0]?.rows, [['only for the admin'], ['and viewers']]);
    assert.deepEqual(read.results[1]?.rows, [['3']], 'row-level security does not hide rows from a viewer');
    // "Run as" an API role switches from the same authenticator connection: RLS and grants apply.
    const anon = f.api.config.dbAnonRole as string;
    assert.deepEqual((await run('SELECT current_user, count(*) FROM public.vi_rls GROUP BY 1', { role: anon })).results[0]?.rows ?? [], []);
    assert.equal((await run('SELECT * FROM public.vi_secret', { role: anon })).error?.code, '42501');
  });

  it('refuses files, programs and signals to the admin pool', async () => {
    assert.equal((await errorOf("SELECT pg_read_file('/etc/passwd')"))?.code, '42501');
    assert.equal((await errorOf(copyToProgram))?.code, '42501');
    assert.equal((await errorOf("SELECT * FROM pg_ls_dir('/')"))?.code, '42501');
    // The POST's account check has just used the admin pool, so its connection is there to aim at
    // (unless it closed as idle in between: then no row, and the next POST opens it again).
    const kill = await until('an admin pool connection to aim at', async () => {
      const r = await run("SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'pesquel-admin'");
      return r.error ?? (r.results[0]?.rows.length ? { code: 'none', message: `terminated ${JSON.stringify(r.results[0].rows)}` } : undefined);
    });
    assert.equal(kill.code, '42501', `expected a refusal, got ${JSON.stringify(kill)}`);
    // The test's own superuser connection is always there.
    assert.equal((await errorOf("SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE usename = 'postgres' AND backend_type = 'client backend'"))?.code, '42501');
    assert.equal(existsSync(programProbe), false, 'no program ran');
  });

  it('after RESET ROLE is the authenticator: no files, programs, tables or other roles', async () => {
    const reset = await run('RESET ROLE; SELECT current_user, session_user');
    assert.deepEqual(reset.results[1]?.rows, [['authenticator', 'authenticator']]);
    assert.equal((await errorOf("RESET ROLE; SELECT pg_read_file('/etc/passwd')"))?.code, '42501');
    assert.equal((await errorOf(`SELECT set_config('role', 'none', true); ${copyToProgram}`))?.code, '42501');
    assert.equal((await errorOf('RESET ROLE; SELECT * FROM public.vi_secret'))?.code, '42501');
    assert.equal((await errorOf("SELECT set_config('role', 'pesquel_admin_test', true)"))?.code, '42501');
    assert.equal((await errorOf("SELECT set_config('role', 'postgres', true)"))?.code, '42501');
    assert.equal(existsSync(programProbe), false);
  });

  it('refuses writes (25006), also after RESET ROLE, and EXPLAIN runs as the viewer role', async () => {
    assert.equal((await errorOf("INSERT INTO public.vi_secret VALUES (3, 'x')"))?.code, '25006');
    assert.equal((await errorOf('RESET ROLE; CREATE TABLE public.vi_new (id int)'))?.code, '25006');
    assert.equal((await errorOf('SET TRANSACTION READ WRITE'))?.code, '25001');
    const plan = await viewer.call<{ plan?: unknown; error?: { code: string } }>('POST', '/api/sql/explain', { sql: 'SELECT * FROM public.vi_secret' });
    assert.ok(plan.plan && !plan.error);
    const file = await viewer.call<{ error?: { code: string } }>('POST', '/api/sql/explain', { sql: "SELECT pg_read_file('/etc/passwd')" });
    assert.equal(file.error?.code, '42501');
    assert.deepEqual(await f.api.sql('SELECT count(*)::int AS n FROM public.vi_secret'), [{ n: 2 }]);
  });

  it('leaves no advisory lock or prepared statement on its connections', async () => {
    const planted = await run("DO $$BEGIN EXECUTE 'PREPARE vi_planted AS SELECT 42'; END$$; SELECT pg_advisory_lock(4242); SELECT 1/0");
    assert.equal(planted.error?.code, '22012', 'cleaned up after a failed statement too');
    assert.deepEqual(await f.api.sql("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242"), [{ n: 0 }]);
    for (let i = 0; i < 4; i++) assert.deepEqual((await run('SELECT count(*) FROM pg_prepared_statements WHERE from_sql')).results[0]?.rows, [['0']]);
    assert.match((await errorOf('DEALLOCATE ALL'))?.message ?? '', /viewer cannot run DEALLOCATE/);
    assert.match((await errorOf('SAVEPOINT a; RELEASE SAVEPOINT a'))?.message ?? '', /viewer cannot run RELEASE/);
  });

  it("runs an editor's SQL as the admin role", async () => {
    const r = await editor.call<SqlRun>('POST', '/api/sql/run', { sql: 'SELECT current_user' });
    assert.deepEqual(r.results[0]?.rows, [['pesquel_admin_test']]);
  });

  it('keeps the history of a viewer run (written over the admin connection)', async () => {
    await run('SELECT 4242 AS history_probe');
    const h = await viewer.call<Array<{ sql: string }>>('GET', '/api/sql/history?limit=500');
    assert.ok(h.some((e) => e.sql.includes('4242 AS history_probe')));
  });

  it('refuses pesquel_* roles in an API token, as any refused role claim', async () => {
    for (const role of ['pesquel_viewer', 'pesquel_not_a_role', 'Pesquel_Viewer']) {
      const r = await f.api.fetch('/todos', { headers: { Authorization: `Bearer ${await token(role)}` } });
      const body = await r.json() as { code: string; message: string };
      assert.deepEqual([r.status, body.code, body.message], [403, '42501', `permission denied to set role "${role}"`]);
    }
    assert.equal((await f.api.fetch('/todos', { headers: { Authorization: `Bearer ${await token('api_user')}` } })).status, 200);
  });

  it("cancels a viewer's running statement", async () => {
    const runId = randomUUID();
    const running = viewer.call<SqlRun>('POST', '/api/sql/run', { runId, sql: 'select pg_sleep(30) as viewer_sleep' });
    await activeQuery(f, 'select pg_sleep(30) as viewer_sleep');
    const t0 = Date.now();
    assert.deepEqual(await viewer.call('POST', '/api/sql/cancel', { runId }), { cancelled: true });
    assert.equal((await running).error?.code, '57014');
    assert.ok(Date.now() - t0 < 10_000);
  });

  it('refuses (never falls back) when the role cannot be prepared, and prepares it once under concurrency', async () => {
    const authUri = f.api.config.dbUri as string;
    const asAuth = new PgAdminDb({ uri: authUri, max: 1 });
    const asAdmin = new PgAdminDb({ uri: f.adminConfig.adminDbUri as string, max: 2 });
    const asSuper = new PgAdminDb({ uri: f.adminConfig.adminDbUri as string, max: 1 });
    const viewerDb = new ViewerDb({ uri: authUri, admin: asAuth });
    try {
      await f.api.sql('REVOKE pesquel_viewer FROM authenticator');
      // PeSquel's own connection is the authenticator: it may not grant, so it says what to run.
      const why = await prepareViewerRole(asAuth, asAuth);
      assert.match(why ?? '', /^viewer SQL is off: .*Fix: as a superuser run CREATE ROLE pesquel_viewer NOLOGIN BYPASSRLS; GRANT pg_read_all_data, pg_read_all_settings, pg_read_all_stats TO pesquel_viewer; GRANT "pesquel_viewer" TO "authenticator";$/);
      assert.doesNotMatch(why ?? '', /\n/);
      await assert.rejects(viewerDb.run('x', (c) => viewerScript(c, 'SELECT 1', [])), (e: Error & { status?: number }) => e.status === 503 && /viewer SQL is off/.test(e.message));
      // The running admin UI (its role ready before the REVOKE) refuses too: 503, not another role.
      const refused = await viewer.fetch('/api/sql/run', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ sql: 'SELECT current_user' }) });
      assert.equal(refused.status, 503);
      assert.match(((await refused.json()) as { error: { message: string } }).error.message, /could not switch to pesquel_viewer/);
      // A superuser as db-uri is refused whatever the admin may do.
      assert.match(await prepareViewerRole(asSuper, asAdmin) ?? '', /the db-uri role "pesquel_admin_test" is a superuser/);
      // Two instances starting together: both succeed, one grant.
      await f.api.sql('DROP OWNED BY pesquel_viewer; DROP ROLE pesquel_viewer');
      const asAuth2 = new PgAdminDb({ uri: authUri, max: 1 });
      try {
        assert.deepEqual(await Promise.all([prepareViewerRole(asAuth, asAdmin), prepareViewerRole(asAuth2, asAdmin)]), [null, null]);
      } finally {
        await asAuth2.close();
      }
      const grants = await f.api.sql("SELECT count(*)::int AS n FROM pg_auth_members WHERE roleid = 'pesquel_viewer'::regrole AND member = 'authenticator'::regrole");
      assert.deepEqual(grants, [{ n: 1 }]);
      const ok = new ViewerDb({ uri: authUri, admin: asAdmin });
      try {
        const r = await ok.run('y', (c) => viewerScript(c, 'SELECT current_user', []));
        assert.deepEqual(r.results[0]?.rows, [['pesquel_viewer']]);
      } finally {
        await ok.close();
      }
      // The running admin UI prepares it again by itself at the next run.
      assert.deepEqual((await run('SELECT current_user')).results[0]?.rows, [['pesquel_viewer']]);
    } finally {
      await viewerDb.close();
      await asAuth.close();
      await asAdmin.close();
      await asSuper.close();
    }
  });
});

describe('viewer SQL through pgBouncer in transaction mode', { skip: (noPg || !pgBouncerAvailable()) && 'PostgreSQL or pgBouncer not found' }, () => {
  let api: TestApi;
  let admin: PgAdminDb;
  let viewerDb: ViewerDb;
  before(async () => {
    api = await startTestApi('pgbouncer');
    await api.sql("CREATE ROLE vi_admin LOGIN SUPERUSER PASSWORD 'vi-admin-pw'");
    const direct = new URL(api.config.dbListenUri as string);
    direct.username = 'vi_admin';
    direct.password = 'vi-admin-pw';
    admin = new PgAdminDb({ uri: direct.toString(), max: 2 });
    viewerDb = new ViewerDb({ uri: api.config.dbUri as string, admin });
  });
  after(async () => {
    await viewerDb?.close();
    await admin?.close();
    await api?.close();
  });

  it('switches per transaction, leaves no session state on the shared connections, and cancels through the bouncer', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await viewerDb.run('', (c) => viewerScript(c, 'SELECT current_user, session_user', []));
      assert.deepEqual(r.results[0]?.rows, [['pesquel_viewer', 'authenticator']]);
      assert.equal((await api.fetch('/todos?select=id&limit=1')).status, 200, 'API requests on the same server connections');
    }
    // Behind the bouncer the next transaction on that server connection may be the API's.
    await viewerDb.run('', (c) => viewerScript(c, "DO $$BEGIN EXECUTE 'PREPARE vi_planted AS SELECT 42'; END$$; SELECT pg_advisory_lock(4243)", []));
    assert.deepEqual(await api.sql("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = 4243"), [{ n: 0 }]);
    for (let i = 0; i < 4; i++) {
      const r = await viewerDb.run('', (c) => viewerScript(c, 'SELECT count(*) FROM pg_prepared_statements WHERE from_sql', []));
      assert.deepEqual(r.results[0]?.rows, [['0']]);
    }
    const runId = randomUUID();
    const running = viewerDb.run(runId, (c) => viewerScript(c, 'select pg_sleep(30) as bounced_sleep', []));
    await until('the viewer statement to run', async () =>
      (await api.sql("SELECT 1 FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%bounced_sleep%' AND pid <> pg_backend_pid()")).length > 0 || undefined);
    assert.equal(await viewerDb.cancel(runId), true);
    assert.equal((await running).error?.code, '57014');
  });
});

describe('viewer SQL on the embedded database (PGlite)', () => {
  let f: AdminFixture;
  let viewer: AdminClient;
  before(async () => {
    f = await startAdmin('pglite');
    viewer = await accountClient(f, 'viewer@example.com', 'viewer');
  });
  after(async () => { await f?.close(); });

  it('keeps its read-only transaction as the embedded superuser, with no host file in reach', async () => {
    const run = (sql: string) => viewer.call<SqlRun>('POST', '/api/sql/run', { sql });
    assert.deepEqual((await run('SELECT current_user')).results[0]?.rows, [['postgres']]);
    // The WebAssembly database sees its own virtual file system: /etc/passwd is not the host's.
    assert.equal((await run("SELECT pg_read_file('/etc/passwd')")).error?.code, '58P01');
    assert.equal((await run("INSERT INTO api.todos (title) VALUES ('x')")).error?.code, '25006');
  });
});
