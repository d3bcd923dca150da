// Keys from a JWKS URL (beyond PostgREST): a local HTTP server plays the issuer, rotates its keys,
// and PeSquel follows without a restart; an unknown kid is refused. The same instance runs the
// auth service in admin-only signup mode, so an issuer's admin token may create users.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { startTestApi, type TestApi } from '../helpers/backends.js';

type Pair = Awaited<ReturnType<typeof generateKeyPair>> & { kid: string; alg: string };

async function pair(kid: string, alg = 'RS256'): Promise<Pair> {
  return { ...(await generateKeyPair(alg, { extractable: true })), kid, alg };
}

describe('JWKS URL (pglite)', () => {
  let api: TestApi;
  let issuer: Server;
  let served: Pair[] = [];
  let fetches = 0;
  let k1: Pair;
  let k2: Pair;

  before(async () => {
    k1 = await pair('k1');
    k2 = await pair('k2', 'ES256');
    served = [k1];
    issuer = createServer((req, res) => {
      fetches++;
      void Promise.all(served.map(async (p) => ({ ...(await exportJWK(p.publicKey)), kid: p.kid, alg: p.alg, use: 'sig' } as JWK)))
        .then((keys) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys })));
    });
    await new Promise<void>((r) => issuer.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(issuer.address() as AddressInfo).port}/.well-known/jwks.json`;
    api = await startTestApi('pglite', {
      fixtures: ['auth.sql'],
      options: { 'jwt-secret': url, 'jwt-role-claim-key': '.app_metadata."pesquel/role"', 'auth-signup': 'admin-only', 'auth-admin-role': 'api_admin' },
    });
  });
  after(async () => {
    await api?.close();
    await new Promise((r) => issuer?.close(r));
  });

  const token = (p: Pair, role: string) =>
    new SignJWT({ sub: 'ext-user', app_metadata: { 'pesquel/role': role } }).setProtectedHeader({ alg: p.alg, kid: p.kid }).sign(p.privateKey);
  const roleOf = async (t: string) => {
    const r = await api.fetch('/whoami', { headers: { Authorization: `Bearer ${t}` } });
    assert.equal(r.status, 200, await r.clone().text());
    return ((await r.json()) as Array<{ role: string }>)[0]?.role;
  };

  it('verifies tokens with the served key and takes the role from a quoted JSPath', async () => {
    assert.equal(await roleOf(await token(k1, 'api_user')), 'api_user');
  });

  it('fetches the keys again when the issuer rotates to a new kid', async () => {
    served = [k2];
    const before = fetches;
    assert.equal(await roleOf(await token(k2, 'api_user')), 'api_user');
    assert.equal(fetches, before + 1);
  });

  it('refuses an unknown kid, without fetching again and again', async () => {
    const stranger = await pair('k3');
    const before = fetches;
    for (let i = 0; i < 3; i++) {
      const r = await api.fetch('/whoami', { headers: { Authorization: `Bearer ${await token(stranger, 'api_user')}` } });
      assert.equal(r.status, 401);
      assert.deepEqual(await r.json(), { code: 'PGRST301', details: null, hint: null, message: 'No suitable key or wrong key type' });
      assert.equal(r.headers.get('www-authenticate'), 'Bearer error="invalid_token", error_description="No suitable key or wrong key type"');
    }
    assert.ok(fetches - before <= 1, `fetched ${fetches - before} times`);
  });

  it('refuses the rotated-out key once the issuer stopped serving it', async () => {
    // k1 is no longer in the JWKS: its kid is unknown now.
    const r = await api.fetch('/whoami', { headers: { Authorization: `Bearer ${await token(k1, 'api_user')}` } });
    assert.equal(r.status, 401);
  });

  it('lets only an admin token sign users up in admin-only mode, and maps them server-side', async () => {
    const body = JSON.stringify({ email: 'new@example.com', password: 'a fine password' });
    const headers = { 'Content-Type': 'application/json' };
    const anon = await api.fetch('/auth/signup', { method: 'POST', headers, body });
    assert.equal(anon.status, 403);
    const user = await api.fetch('/auth/signup', { method: 'POST', headers: { ...headers, Authorization: `Bearer ${await token(k2, 'api_user')}` }, body });
    assert.equal(user.status, 403);
    const admin = await api.fetch('/auth/signup', { method: 'POST', headers: { ...headers, Authorization: `Bearer ${await token(k2, 'api_admin')}` }, body });
    assert.equal(admin.status, 201, await admin.clone().text());
    const adminHeaders = { ...headers, Authorization: `Bearer ${await token(k2, 'api_admin')}` };
    const badRole = await api.fetch('/auth/signup', { method: 'POST', headers: adminHeaders, body: JSON.stringify({ email: 'x@example.com', password: 'a fine password', role: 'api_admin' }) });
    assert.equal(badRole.status, 400);
    assert.equal(((await badRole.json()) as { code: string }).code, 'PSQA09');
    const created = await admin.json() as { user: { email: string; role: string }; access_token?: string };
    assert.equal(created.user.role, 'api_user');
    assert.equal(created.access_token, undefined, 'the admin gets no session for the new user');
    // The new user logs in; the token signed by PeSquel's own key is trusted next to the issuer's.
    const login = await api.fetch('/auth/login', { method: 'POST', headers, body });
    assert.equal(login.status, 200);
    const s = await login.json() as { access_token: string };
    const me = await api.fetch('/auth/me', { headers: { Authorization: `Bearer ${s.access_token}` } });
    assert.equal(me.status, 200);
  });
});
