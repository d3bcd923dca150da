// Headers, auth and configuration as PostgREST v13 answers them, on every backend: CORS (any
// origin by default, listed origins with credentials), preflights, Allow for views with a key,
// Content-Location, HEAD without Content-Length, Server-Timing on OPTIONS, the nulls=stripped
// media type, a JWT without a role claim (anonymous; 401 on a permission error), PGRST100/125
// texts, the table hint before other errors, db-root-spec and an empty db-extra-search-path.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import { backendKinds, startTestApi, type TestApi } from '../helpers/backends.js';

const secret = 'a-compat-headers-secret-of-at-least-32-chars';
const sign = (claims: Record<string, unknown>) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(secret));
const json = 'application/json; charset=utf-8';
const exposed = 'Content-Encoding, Content-Location, Content-Range, Content-Type, Date, Location, Server, Transfer-Encoding, Range-Unit';
const corsNames = ['access-control-allow-origin', 'access-control-allow-credentials', 'access-control-expose-headers', 'access-control-allow-methods', 'access-control-allow-headers', 'access-control-max-age'];
const cors = (r: Response) => Object.fromEntries(corsNames.filter((n) => r.headers.has(n)).map((n) => [n, r.headers.get(n)]));

for (const kind of backendKinds()) {
  describe(`compat headers (${kind})`, () => {
    let api: TestApi;
    before(async () => {
      api = await startTestApi(kind, {
        fixtures: ['compat-rpc.sql'],
        options: { 'jwt-secret': secret, 'server-timing-enabled': 'true', 'db-root-spec': 'root', 'auth-enabled': 'false' },
      });
    });
    after(async () => { await api?.close(); });

    describe('CORS without server-cors-allowed-origins', () => {
      it('any origin may read: *, no credentials, PostgREST\'s exposed headers (errors too)', async () => {
        const r = await api.fetch('/projects?id=eq.1&select=id', { headers: { Origin: 'http://example.com' } });
        assert.equal(r.status, 200);
        assert.deepEqual(await r.json(), [{ id: 1 }]);
        assert.deepEqual(cors(r), { 'access-control-allow-origin': '*', 'access-control-expose-headers': exposed });
        const e = await api.fetch('/nope', { headers: { Origin: 'http://example.com' } });
        assert.equal(e.status, 404);
        assert.deepEqual(cors(e), { 'access-control-allow-origin': '*', 'access-control-expose-headers': exposed });
        const plain = await api.fetch('/projects?id=eq.1');
        assert.deepEqual(cors(plain), {});
      });

      it('answers a preflight with the methods, the requested headers and a max age', async () => {
        const r = await api.fetch('/', {
          method: 'OPTIONS',
          headers: { Accept: '*/*', Origin: 'http://example.com', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'Foo,Bar' },
        });
        assert.equal(r.status, 200);
        assert.equal(await r.text(), '');
        assert.equal(r.headers.get('server-timing'), null); // answered before any phase, as PostgREST's CORS middleware
        assert.deepEqual(cors(r), {
          'access-control-allow-origin': '*',
          'access-control-allow-methods': 'GET, POST, PATCH, PUT, DELETE, OPTIONS, HEAD',
          'access-control-allow-headers': 'Authorization, Foo, Bar, Accept, Accept-Language, Content-Language',
          'access-control-max-age': '86400',
        });
        const js = await api.fetch('/projects', {
          method: 'OPTIONS',
          headers: { Origin: 'http://localhost:8000', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization, x-client-info, apikey, content-type, prefer' },
        });
        assert.equal(js.headers.get('access-control-allow-headers'), 'Authorization, authorization, x-client-info, apikey, content-type, prefer, Accept, Accept-Language, Content-Language');
      });
    });

    describe('OPTIONS', () => {
      it('Allow lists PUT for tables and auto-updatable views with a key; Server-Timing has jwt, parse and response', async () => {
        const t = await api.fetch('/projects', { method: 'OPTIONS' });
        assert.equal(t.status, 200);
        assert.equal(t.headers.get('allow'), 'OPTIONS,GET,HEAD,POST,PUT,PATCH,DELETE');
        assert.match(t.headers.get('server-timing') ?? '', /^parse;dur=[\d.]+, jwt;dur=[\d.]+, response;dur=[\d.]+$/);
        assert.equal(await t.text(), '');
        const v = await api.fetch('/projects_view', { method: 'OPTIONS' });
        assert.equal(v.headers.get('allow'), 'OPTIONS,GET,HEAD,POST,PUT,PATCH,DELETE');
        assert.match(v.headers.get('server-timing') ?? '', /jwt;dur=/);
        const noKey = await api.fetch('/projects_names', { method: 'OPTIONS' });
        assert.equal(noKey.headers.get('allow'), 'OPTIONS,GET,HEAD,POST,PATCH,DELETE');
        const root = await api.fetch('/', { method: 'OPTIONS', headers: { Origin: 'http://example.com' } });
        assert.equal(root.headers.get('allow'), 'OPTIONS,GET,HEAD');
        assert.equal(root.headers.get('access-control-allow-origin'), '*');
      });
    });

    describe('reads', () => {
      it('Content-Location: the relation and its parameters sorted', async () => {
        const r = await api.fetch('/projects?select=id&id=lt.3&order=id&id=gt.0');
        assert.equal(r.status, 200);
        assert.deepEqual(await r.json(), [{ id: 1 }, { id: 2 }]);
        assert.equal(r.headers.get('content-location'), '/projects?id=lt.3,gt.0&order=id&select=id');
        assert.equal((await api.fetch('/projects')).headers.get('content-location'), '/projects');
        assert.equal((await api.fetch('/projects?name=eq.x&id=eq.1&select=name,id')).headers.get('content-location'), '/projects?id=eq.1&name=eq.x&select=name%2Cid');
      });

      it('HEAD answers without a Content-Length', async () => {
        const r = await api.fetch('/projects', { method: 'HEAD', headers: { Prefer: 'count=exact' } });
        assert.equal(r.status, 200);
        assert.equal(r.headers.get('content-length'), null);
        assert.equal(r.headers.get('content-range'), '0-4/5');
        assert.equal(r.headers.get('content-type'), json);
        assert.equal(r.headers.get('content-location'), '/projects');
        assert.equal(await r.text(), '');
      });

      it('nulls=stripped is spelled without a space in Content-Type', async () => {
        const r = await api.fetch('/projects?id=eq.5', { headers: { Accept: 'application/vnd.pgrst.array+json;nulls=stripped' } });
        assert.equal(r.status, 200);
        assert.equal(r.headers.get('content-type'), 'application/vnd.pgrst.array+json;nulls=stripped; charset=utf-8');
        assert.deepEqual(await r.json(), [{ id: 5, name: 'Orphan' }]);
        const o = await api.fetch('/projects?id=eq.5', { headers: { Accept: 'application/vnd.pgrst.object+json;nulls=stripped' } });
        assert.equal(o.headers.get('content-type'), 'application/vnd.pgrst.object+json;nulls=stripped; charset=utf-8');
        assert.deepEqual(await o.json(), { id: 5, name: 'Orphan' });
      });
    });

    describe('auth', () => {
      it('a JWT without a role claim runs as the anonymous role; a permission error is then 401', async () => {
        const token = await sign({ sub: 'someone' });
        const ok = await api.fetch('/projects?id=eq.1&select=name', { headers: { Authorization: `Bearer ${token}` } });
        assert.equal(ok.status, 200);
        assert.deepEqual(await ok.json(), [{ name: 'Windows 7' }]);
        const denied = await api.fetch('/secret_things', { headers: { Authorization: `Bearer ${token}` } });
        assert.equal(denied.status, 401);
        assert.equal(denied.headers.get('www-authenticate'), 'Bearer');
        assert.deepEqual(await denied.json(), { code: '42501', details: null, hint: null, message: 'permission denied for table secret_things' });
        const anon = await api.fetch('/rpc/touch_secret');
        assert.equal(anon.status, 401);
        const user = await api.fetch('/secret_things', { headers: { Authorization: `Bearer ${await sign({ role: 'api_user' })}` } });
        assert.equal(user.status, 403);
        assert.equal(user.headers.get('www-authenticate'), null);
      });
    });

    describe('error texts', () => {
      const error = async (path: string, status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) => {
        const r = await api.fetch(path, { headers });
        assert.equal(r.status, status);
        assert.equal(r.headers.get('content-type'), json);
        assert.deepEqual(await r.json(), body);
      };

      it('PGRST125 has no details', async () => {
        await error('/a/b/c', 404, { code: 'PGRST125', details: null, hint: null, message: 'Invalid path specified in request URL' });
      });

      it('PGRST100 details in Parsec\'s words', async () => {
        await error('/projects?id=0', 400, {
          code: 'PGRST100', details: 'unexpected "0" expecting "not" or operator (eq, gt, ...)', hint: null, message: '"failed to parse filter (0)" (line 1, column 1)',
        });
        await error('/projects?id=noop.0', 400, {
          code: 'PGRST100', details: 'unknown single value operator noop', hint: null, message: '"failed to parse filter (noop.0)" (line 1, column 6)',
        });
        await error('/projects?order=id.ac', 400, {
          code: 'PGRST100', details: 'unexpected "c" expecting "asc", "desc", "nullsfirst" or "nullslast"', hint: null, message: '"failed to parse order (id.ac)" (line 1, column 4)',
        });
        await error('/projects?order=id.descc', 400, {
          code: 'PGRST100', details: 'unexpected \'c\' expecting delimiter (.), "," or end of input', hint: null, message: '"failed to parse order (id.descc)" (line 1, column 8)',
        });
        await error('/projects?order=id.asc.nlsfst', 400, {
          code: 'PGRST100', details: 'unexpected "l" expecting "nullsfirst" or "nullslast"', hint: null, message: '"failed to parse order (id.asc.nlsfst)" (line 1, column 8)',
        });
        await error('/projects?select=name->>-78xy', 400, {
          code: 'PGRST100', details: 'unexpected \'x\' expecting digit, "->", "::", ".", "," or end of input', hint: null, message: '"failed to parse select parameter (name->>-78xy)" (line 1, column 11)',
        });
        await error('/projects?order=id.nullslasttt', 400, {
          code: 'PGRST100', details: 'unexpected \'t\' expecting "," or end of input', hint: null, message: '"failed to parse order (id.nullslasttt)" (line 1, column 13)',
        });
      });

      it('a missing table is reported with its hint before invalid preferences', async () => {
        await error('/projectz', 404, {
          code: 'PGRST205', details: null, hint: "Perhaps you meant the table 'api.projects'", message: "Could not find the table 'api.projectz' in the schema cache",
        }, { Prefer: 'handling=strict, bogus=1' });
        await error('/projects', 400, {
          code: 'PGRST122', details: 'Invalid preferences: bogus=1', hint: null, message: 'Invalid preferences given with handling=strict',
        }, { Prefer: 'handling=strict, bogus=1' });
      });
    });

    describe('db-root-spec', () => {
      it('GET / answers with the function\'s result, as application/openapi+json when asked', async () => {
        const r = await api.fetch('/', { headers: { Accept: 'application/openapi+json' } });
        assert.equal(r.status, 200);
        assert.equal(r.headers.get('content-type'), 'application/openapi+json; charset=utf-8');
        assert.deepEqual(await r.json(), { openapi: '3.0.0', info: { title: 'custom root' } });
        const j = await api.fetch('/', { headers: { Accept: 'application/json' } });
        assert.equal(j.status, 200);
        assert.equal(j.headers.get('content-type'), json);
        assert.deepEqual(await j.json(), { openapi: '3.0.0', info: { title: 'custom root' } });
        const h = await api.fetch('/', { method: 'HEAD' });
        assert.equal(h.status, 200);
        assert.equal(await h.text(), '');
      });
    });
  });

  describe(`compat headers: allowed origins, empty extra search path (${kind})`, () => {
    let api: TestApi;
    before(async () => {
      api = await startTestApi(kind, {
        fixtures: ['compat-rpc.sql'],
        options: { 'server-cors-allowed-origins': 'http://good.example, http://other.example', 'db-extra-search-path': '' },
      });
    });
    after(async () => { await api?.close(); });

    it('echoes a listed origin with credentials; others get no CORS headers', async () => {
      const good = await api.fetch('/projects?id=eq.2&select=id', { headers: { Origin: 'http://good.example' } });
      assert.equal(good.status, 200);
      assert.deepEqual(await good.json(), [{ id: 2 }]);
      assert.deepEqual(cors(good), { 'access-control-allow-origin': 'http://good.example', 'access-control-allow-credentials': 'true', 'access-control-expose-headers': exposed });
      const evil = await api.fetch('/projects?id=eq.2&select=id', { headers: { Origin: 'http://evil.example' } });
      assert.equal(evil.status, 200);
      assert.deepEqual(cors(evil), {});
      const pre = await api.fetch('/projects', { method: 'OPTIONS', headers: { Origin: 'http://other.example', 'Access-Control-Request-Method': 'PATCH' } });
      assert.deepEqual(cors(pre), {
        'access-control-allow-origin': 'http://other.example',
        'access-control-allow-credentials': 'true',
        'access-control-allow-methods': 'GET, POST, PATCH, PUT, DELETE, OPTIONS, HEAD',
        'access-control-allow-headers': 'Authorization, Accept, Accept-Language, Content-Language',
        'access-control-max-age': '86400',
      });
      // A preflight from an origin not listed is answered as a plain OPTIONS.
      const refused = await api.fetch('/projects', { method: 'OPTIONS', headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'PATCH' } });
      assert.equal(refused.status, 200);
      assert.equal(refused.headers.get('allow'), 'OPTIONS,GET,HEAD,POST,PUT,PATCH,DELETE');
      assert.deepEqual(cors(refused), {});
    });

    it('db-extra-search-path="" is no extra schema: requests reach the database', async () => {
      const r = await api.fetch('/projects?select=id&order=id.desc&limit=1');
      assert.equal(r.status, 200);
      assert.deepEqual(await r.json(), [{ id: 5 }]);
      const c = await api.fetch('/rpc/add_them?a=2&b=3');
      assert.equal(c.status, 200);
      assert.equal(await c.text(), '5');
      const path = await api.fetch('/rpc/read_only_now');
      assert.equal(path.status, 200);
      assert.equal(api.config.dbExtraSearchPath.length, 0);
    });
  });
}
