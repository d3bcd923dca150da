// The admin UI's unauthenticated surface under hostile input (issue 20): request lines fetch()
// would normalise, sent over a raw socket; malformed cookies and query parameters; oversized
// headers; the API console pointed at another host; a hundred parallel sign-ins. The process must
// stay up and answer every request with a 4xx (JSON from the admin API). Also the REST API and the
// admin (metrics) server, which parse request lines of their own.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { adminClient, adminPassword, signIn, startAdmin, type AdminFixture } from '../admin/helpers.js';
import { createAdminServer } from '../../src/http/admin-server.js';
import { LoginLimiter } from '../../src/admin/auth/sessions.js';
import { startTestApi } from '../helpers/backends.js';
import { startAdminUi } from '../../src/admin/server.js';
import { createLogger } from '../../src/observability/logger.js';
import { hostileTargets, rawRequest } from './hostile-http.js';

const json = (body: string) => JSON.parse(body) as { error?: { code: string; message: string } };

describe('admin UI: hostile requests (pglite)', () => {
  let f: AdminFixture;
  let metrics: Server;
  let metricsUrl: string;
  before(async () => {
    f = await startAdmin('pglite');
    const running = f.api.running;
    metrics = createAdminServer({ db: running.db, schema: running.schema, metrics: running.metrics.registry });
    await new Promise<void>((r) => metrics.listen(0, '127.0.0.1', r));
    metricsUrl = `http://127.0.0.1:${(metrics.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise<void>((r) => metrics?.close(() => r()));
    await f?.close();
  });

  const stillUp = async () => {
    const r = await f.client.fetch('/api/session');
    assert.equal(r.status, 200);
    assert.equal(((await r.json()) as { signedIn: boolean }).signedIn, true);
  };

  it('answers the request lines of issue 20 with 400 JSON and keeps running', async () => {
    for (const target of ['//', '///', '//[', '//@:', '/\\']) {
      for (const method of ['GET', 'HEAD']) {
        const r = await rawRequest(f.ui.url, `${method} ${target} HTTP/1.1`);
        assert.equal(r.status, 400, `${method} ${target}`);
        if (method === 'GET') assert.equal(json(r.body).error?.code, 'bad-url', `${method} ${target}`);
      }
      const post = await rawRequest(f.ui.url, `POST ${target} HTTP/1.1`);
      assert.equal(post.status, 405, `POST ${target}`); // only GET and HEAD outside /api/
      assert.equal(json(post.body).error?.code, 'method');
      for (const api of [`/api${target}session`, `${target}api/session`]) {
        const r = await rawRequest(f.ui.url, `GET ${api} HTTP/1.1`);
        assert.ok(r.status === 400 || r.status === 404, `GET ${api}: ${r.status}`);
        assert.ok(json(r.body).error?.code, api);
      }
    }
    await stillUp();
  });

  it('answers every other hostile target with a 4xx or the page, never a 500 or a dropped process', async () => {
    for (const target of hostileTargets) {
      for (const method of ['GET', 'POST', 'OPTIONS']) {
        const r = await rawRequest(f.ui.url, `${method} ${target} HTTP/1.1`);
        assert.ok(r.status < 500, `${method} ${JSON.stringify(target)}: ${r.status} ${r.body.slice(0, 200)}`);
        if (r.status >= 400 && r.headers['content-type']?.startsWith('application/json')) assert.ok(json(r.body).error?.code);
      }
    }
    // Paths that would leave the client folder or name another host are never files.
    const passwd = await rawRequest(f.ui.url, 'GET /..%2f..%2f..%2f..%2fetc%2fpasswd HTTP/1.1');
    assert.doesNotMatch(passwd.body, /root:/);
    await stillUp();
  });

  it('answers oversized and broken headers and oversized bodies without ending the process', async () => {
    const huge = await rawRequest(f.ui.url, 'GET /api/session HTTP/1.1', [`X-Big: ${'a'.repeat(40_000)}`]);
    assert.equal(huge.status, 431);
    const cookie = await rawRequest(f.ui.url, 'GET /api/session HTTP/1.1', [`Cookie: pesquel_admin_session=${'%'.repeat(10_000)}`]);
    assert.equal(cookie.status, 200);
    const bad = await rawRequest(f.ui.url, 'GET /api/session HTTP/1.1', ['X-Bad\u0001: 1']);
    assert.equal(bad.status, 400);
    // Without a session, a body is read up to 16 KiB (the sign-in), or not at all.
    const login = await fetch(`${f.ui.url}/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ password: 'x'.repeat(100_000) }) });
    assert.equal(login.status, 413);
    assert.equal(((await login.json()) as { error: { code: string } }).error.code, 'too-large');
    const big = JSON.stringify({ schema: 'api', table: 'todos', csv: 'x'.repeat(5_000_000) });
    const imported = await fetch(`${f.ui.url}/api/data/import`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: big });
    assert.equal(imported.status, 401);
    await stillUp();
  });

  it('treats a malformed session cookie as signed out: 401 JSON on every route, not 500', async () => {
    for (const value of ['%', '%zz', '%E0%A4%A', 'a%00b', '"', '=;=', '\u00ff']) {
      const headers = { Cookie: `pesquel_admin_session=${value}` };
      const r = await fetch(`${f.ui.url}/api/catalog/schemas`, { headers });
      assert.equal(r.status, 401, value);
      assert.equal(((await r.json()) as { error: { code: string } }).error.code, 'signed-out');
      const s = await fetch(`${f.ui.url}/api/session`, { headers });
      assert.equal(((await s.json()) as { signedIn: boolean }).signedIn, false);
      const post = await fetch(`${f.ui.url}/api/sql/run`, { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body: '{}' });
      assert.equal(post.status, 401, value);
    }
  });

  it('answers an export with a malformed q= or a body of the wrong shape with 400', async () => {
    const c = f.client;
    for (const q of ['{', 'nope', 'null', '[]', '5', '{"filters":[null]}', '{"filters":[{"column":"id","op":"constructor"}]}',
      '{"filters":[{"column":"id","op":"eq","value":{}}]}', '{"sort":["id"]}', '{"sort":[{"dir":"asc"}]}']) {
      const r = await c.fetch(`/api/data/export?schema=api&table=todos&q=${encodeURIComponent(q)}`);
      assert.equal(r.status, 400, q);
      assert.match(((await r.json()) as { error: { code: string } }).error.code, /^bad-/, q);
    }
    const ok = await c.fetch(`/api/data/export?schema=api&table=todos&q=${encodeURIComponent('{"sort":[{"column":"id","dir":"desc"}]}')}`);
    assert.equal(ok.status, 200);
    for (const body of ['null', '[]', '"x"', '7']) {
      const r = await c.fetch('/api/data/rows', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      assert.equal(r.status, 400, body);
      assert.equal(((await r.json()) as { error: { code: string } }).error.code, 'bad-json');
    }
  });

  it('never lets the API console reach another host, whatever the path', async () => {
    let hits = 0;
    const decoy = createServer((_req, res) => { hits++; res.end('{}'); });
    await new Promise<void>((r) => decoy.listen(0, '127.0.0.1', r));
    const host = `127.0.0.1:${(decoy.address() as AddressInfo).port}`;
    try {
      const paths = [
        `/\\${host}/x`, `/\\\\${host}/x`, `/\t/${host}/x`, `/\n/${host}/x`, `/\r\n/${host}/x`, `//${host}/x`, `/\t\t/${host}`,
        `http://${host}/x`, `https://${host}/x`, `\\\\${host}/x`, ` //${host}/x`, `/\u0000/${host}`, `/\u007f/${host}`, `${host}/x`,
      ];
      for (const path of paths) {
        for (const runAs of [undefined, { jwt: 'header.payload.signature' }]) {
          const r = await f.client.fetch('/api/security/api-request', {
            method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ method: 'GET', path, runAs }),
          });
          assert.equal(r.status, 400, JSON.stringify(path));
          assert.equal(((await r.json()) as { error: { code: string } }).error.code, 'bad-path');
        }
      }
      // Encoded, a backslash is just a character of a path on the API.
      const encoded = await f.client.call<{ status: number }>('POST', '/api/security/api-request', { method: 'GET', path: `/%5C${host}/x` });
      assert.equal(encoded.status, 404);
      const bad = await f.client.fetch('/api/security/api-request', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ path: '/todos', headers: { 'X-A': 'a\r\nHost: evil' } }),
      });
      assert.equal(bad.status, 400);
      const ok = await f.client.call<{ status: number; body: string }>('POST', '/api/security/api-request', { method: 'GET', path: '/todos?limit=1' });
      assert.equal(ok.status, 200, ok.body);
      assert.equal(hits, 0);
    } finally {
      await new Promise<void>((r) => decoy.close(() => r()));
    }
  });

  it('the REST API and the admin (metrics) server answer the same request lines and stay up', async () => {
    for (const base of [f.api.url, metricsUrl]) {
      for (const target of hostileTargets) {
        for (const method of ['GET', 'POST']) {
          const r = await rawRequest(base, `${method} ${target} HTTP/1.1`);
          // `GET *` is the API's root there (its router reads the path after the first slash): harmless.
          assert.ok(r.status < 500, `${base} ${method} ${JSON.stringify(target)}: ${r.status} ${r.body.slice(0, 200)}`);
        }
      }
      assert.equal((await rawRequest(base, 'GET / HTTP/1.1', [`X-Big: ${'a'.repeat(40_000)}`])).status, 431);
    }
    assert.equal((await f.api.fetch('/todos?limit=1')).status, 200);
    assert.equal((await fetch(`${metricsUrl}/live`)).status, 200);
  });

  it('the REST API refuses response.headers node:http could not write (PGRST111) instead of ending the process', async () => {
    await f.api.sql(`CREATE FUNCTION api.set_header(h text, v text) RETURNS int LANGUAGE plpgsql AS $$ BEGIN
      PERFORM set_config('response.headers', json_build_array(json_build_object(h, v))::text, true); RETURN 1; END $$`);
    await f.api.sql('GRANT EXECUTE ON FUNCTION api.set_header(text, text) TO api_anon');
    await f.api.reload();
    const bad: [string, string][] = [['X-A', 'a\u0001b'], ['bad name', 'v'], ['X-B', 'caf\u20ac'], ['', 'v'], ['X-C', 'a\u007fb'], ['X:D', 'v']];
    for (const [h, v] of bad) {
      const r = await f.api.fetch(`/rpc/set_header?h=${encodeURIComponent(h)}&v=${encodeURIComponent(v)}`);
      assert.equal(r.status, 500, JSON.stringify([h, v]));
      assert.equal(((await r.json()) as { code: string }).code, 'PGRST111');
    }
    const ok = await f.api.fetch(`/rpc/set_header?h=X-Ok&v=${encodeURIComponent('fine \t value')}`);
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('x-ok'), 'fine \t value');
  });

  it('the REST API reads relations whose names node:http could not put in a header as such', async () => {
    await f.api.sql('CREATE TABLE api."日本" (id int)');
    await f.api.sql('CREATE TABLE api."line\nbreak" (id int)');
    await f.api.sql(`GRANT SELECT ON api."日本", api."line\nbreak" TO api_anon`);
    await f.api.reload();
    const r = await f.api.fetch('/%E6%97%A5%E6%9C%AC?id=eq.1');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-location'), '/%E6%97%A5%E6%9C%AC?id=eq.1');
    const nl = await f.api.fetch('/line%0Abreak');
    assert.equal(nl.status, 200);
    assert.equal(nl.headers.get('content-location'), '/line%0Abreak');
  });

  // Last: it blocks this address's sign-ins (until the test moves the window into the past).
  it('checks at most ten of a hundred parallel wrong passwords from one address, over two admin UIs on one database', async () => {
    const second = await startAdminUi({
      config: f.adminConfig, db: f.api.running.db, apiUrl: f.api.url, logger: createLogger('error'), reloadSchema: () => f.api.reload(), port: 0, host: '127.0.0.1',
    });
    try {
      const urls = [f.ui.url, second.url];
      const attempt = (i: number) => fetch(`${urls[i % 2]}/api/login`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ password: 'wrong password!' }),
      }).then((r) => r.status);
      const statuses = await Promise.all(Array.from({ length: 100 }, (_, i) => attempt(i)));
      assert.equal(statuses.filter((s) => s === 401).length, 10, JSON.stringify(statuses));
      assert.equal(statuses.filter((s) => s === 429).length, 90);
      // The right password is refused too, on either, until the minute has passed …
      for (const url of urls) assert.equal((await signIn(adminClient(url), adminPassword)).status, 429);
      // … which the test makes happen by moving the window into the past.
      await f.api.sql(`UPDATE pesquel_admin.sign_in_failures SET since = now() - interval '61 seconds'`);
      assert.equal((await signIn(adminClient(second.url), adminPassword)).status, 200);
      assert.deepEqual(await f.api.sql('SELECT addr FROM pesquel_admin.sign_in_failures'), []);
      await stillUp();
    } finally {
      await second.close();
    }
  });
});

describe('admin sign-in limiter without the store: reserve before hashing', () => {
  it('reserves ten attempts a window, frees the address when the window passes, resets on success', () => {
    let t = 0;
    const l = new LoginLimiter(10, 60_000, () => t);
    const granted = Array.from({ length: 100 }, () => l.reserve('a')).filter(Boolean).length;
    assert.equal(granted, 10);
    assert.equal(l.reserve('b'), true); // per address
    t += 59_000;
    assert.equal(l.reserve('a'), false);
    t += 1_001;
    assert.equal(l.reserve('a'), true); // the window passed: the right password gets checked
    l.succeed('a');
    assert.equal(Array.from({ length: 10 }, () => l.reserve('a')).every(Boolean), true);
    assert.equal(l.reserve('a'), false);
  });
});

describe('REST API: a header node:http refuses (pglite)', () => {
  it('answers 500 PGRSTX00 for a schema named outside Latin-1 in Content-Profile, and keeps running', async () => {
    const api = await startTestApi('pglite', { options: { 'db-schemas': 'été€,api' } });
    try {
      await api.sql('CREATE SCHEMA "été€"');
      await api.sql('CREATE TABLE "été€".t (id int)');
      await api.sql('GRANT USAGE ON SCHEMA "été€" TO api_anon');
      await api.sql('GRANT SELECT ON "été€".t TO api_anon');
      await api.reload();
      const r = await api.fetch('/t');
      assert.equal(r.status, 500);
      assert.equal(((await r.json()) as { code: string }).code, 'PGRSTX00');
      const ok = await api.fetch('/todos', { headers: { 'Accept-Profile': 'api' } });
      assert.equal(ok.status, 200);
    } finally {
      await api.close();
    }
  });
});
