// The built-in auth service on every backend: signup, login, the token's claim layout and JWKS,
// refresh rotation with reuse detection, logout, /auth/me, bcrypt upgrade, the server-side role
// mapping (never from the client, never a privileged role), and RLS with the issued tokens.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import bcrypt from 'bcryptjs';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { backendKinds, startTestApi, type TestApi } from '../helpers/backends.js';

interface SessionBody {
  access_token: string;
  token_type: string;
  expires_in: number;
  expires_at: number;
  refresh_token: string;
  user: { id: string; email: string; role: string };
}

for (const kind of backendKinds()) {
  describe(`auth service (${kind})`, () => {
    let api: TestApi;
    before(async () => { api = await startTestApi(kind, { fixtures: ['auth.sql'] }); });
    after(async () => { await api?.close(); });

    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      api.fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const login = async (email: string, password: string): Promise<SessionBody> => {
      const r = await post('/auth/login', { email, password });
      assert.equal(r.status, 200, await r.clone().text());
      return await r.json() as SessionBody;
    };
    const errorOf = async (r: Response) => (await r.json()) as { code: string; message: string; details: string | null };

    it('signs up, logs in and issues PostgREST-shaped claims signed with a published, rotating key', async () => {
      const r = await post('/auth/signup', { email: 'Alice@Example.com', password: 'correct horse battery' });
      assert.equal(r.status, 201, await r.clone().text());
      const s = await r.json() as SessionBody;
      assert.equal(s.user.email, 'alice@example.com');
      assert.equal(s.user.role, 'api_user');
      assert.equal(s.token_type, 'bearer');
      assert.equal(s.expires_in, 900);
      const claims = decodeJwt(s.access_token);
      assert.deepEqual(Object.keys(claims).sort(), ['aud', 'email', 'exp', 'iat', 'jti', 'role', 'session_id', 'sub']);
      assert.equal(claims.sub, s.user.id);
      assert.equal(claims.role, 'api_user');
      assert.equal((claims.exp ?? 0) - (claims.iat ?? 0), 900);
      const header = decodeProtectedHeader(s.access_token);
      assert.equal(header.alg, 'ES256');
      const jwks = await api.fetch('/.well-known/jwks.json');
      assert.equal(jwks.status, 200);
      const doc = await jwks.json() as { keys: Array<Record<string, unknown>> };
      assert.ok(doc.keys.some((k) => k.kid === header.kid));
      assert.ok(doc.keys.every((k) => k.d === undefined), 'no private key material is published');
      await jwtVerify(s.access_token, createLocalJWKSet(doc as never));
      const stored = await api.sql(`SELECT password_hash FROM auth.users WHERE email = 'alice@example.com'`);
      assert.match(String(stored[0]?.password_hash), /^\$argon2id\$/);
      await login('ALICE@example.com', 'correct horse battery');
    });

    it('answers unknown users and wrong passwords alike', async () => {
      const a = await post('/auth/login', { email: 'alice@example.com', password: 'wrong password!' });
      const b = await post('/auth/login', { email: 'nobody@example.com', password: 'wrong password!' });
      assert.equal(a.status, 400);
      assert.equal(b.status, 400);
      assert.deepEqual(await a.json(), await b.json());
    });

    it('validates bodies and refuses a duplicate email or a short password', async () => {
      assert.equal((await errorOf(await post('/auth/signup', { email: 'bob@example.com', password: 'short' }))).code, 'PSQA01');
      assert.equal((await errorOf(await post('/auth/signup', { email: 'not-an-email', password: 'long enough pw' }))).code, 'PSQA01');
      assert.equal((await errorOf(await post('/auth/login', { email: 'a@b.c', password: 'x'.repeat(257) }))).code, 'PSQA01');
      const bad = await api.fetch('/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{nope' });
      assert.equal((await errorOf(bad)).code, 'PSQA01');
      const dup = await post('/auth/signup', { email: 'alice@example.com', password: 'another long password' });
      assert.equal(dup.status, 409);
      assert.equal((await api.fetch('/auth/login')).status, 405);
      assert.equal((await api.fetch('/auth/nothing')).status, 404);
    });

    it('never takes the role from the client', async () => {
      const r = await post('/auth/signup', { email: 'mallory@example.com', password: 'mallory password', role: 'postgres' });
      assert.equal(r.status, 400);
      const m = await post('/auth/signup', { email: 'mallory@example.com', password: 'mallory password' });
      assert.equal((await m.json() as SessionBody).user.role, 'api_user');
    });

    it('refuses to mint a token for a BYPASSRLS or superuser role mapped in the database', async () => {
      await post('/auth/signup', { email: 'eve@example.com', password: 'eve password 1' });
      for (const role of ['api_bypass', 'postgres']) {
        await api.sql(`UPDATE auth.users SET role = $1 WHERE email = 'eve@example.com'`, [role]);
        const r = await post('/auth/login', { email: 'eve@example.com', password: 'eve password 1' });
        assert.equal(r.status, 500, role);
        assert.equal((await errorOf(r)).code, 'PSQA08');
      }
    });

    it('rotates refresh tokens, revokes the session when a spent one comes back, and logs out', async () => {
      const first = await login('alice@example.com', 'correct horse battery');
      const r1 = await post('/auth/refresh', { refresh_token: first.refresh_token });
      assert.equal(r1.status, 200, await r1.clone().text());
      const second = await r1.json() as SessionBody;
      assert.notEqual(second.refresh_token, first.refresh_token);
      assert.equal(decodeJwt(second.access_token).session_id, decodeJwt(first.access_token).session_id);
      assert.equal((await api.fetch('/auth/me', { headers: { Authorization: `Bearer ${second.access_token}` } })).status, 200);

      // The first token again: someone kept a copy. The whole session ends.
      const reuse = await post('/auth/refresh', { refresh_token: first.refresh_token });
      assert.equal(reuse.status, 401);
      assert.match((await errorOf(reuse)).details ?? '', /revoked/);
      assert.equal((await post('/auth/refresh', { refresh_token: second.refresh_token })).status, 401);
      const me = await api.fetch('/auth/me', { headers: { Authorization: `Bearer ${second.access_token}` } });
      assert.equal(me.status, 401);

      // A fresh session, then logout ends it.
      const third = await login('alice@example.com', 'correct horse battery');
      const meOk = await api.fetch('/auth/me', { headers: { Authorization: `Bearer ${third.access_token}` } });
      assert.equal(meOk.status, 200);
      const meBody = await meOk.json() as { email: string; role: string; session_id: string };
      assert.equal(meBody.email, 'alice@example.com');
      assert.equal(meBody.session_id, decodeJwt(third.access_token).session_id);
      const out = await api.fetch('/auth/logout', { method: 'POST', headers: { Authorization: `Bearer ${third.access_token}` } });
      assert.equal(out.status, 204);
      assert.equal((await post('/auth/refresh', { refresh_token: third.refresh_token })).status, 401);
      assert.equal((await api.fetch('/auth/me', { headers: { Authorization: `Bearer ${third.access_token}` } })).status, 401);
      assert.equal((await post('/auth/refresh', { refresh_token: 'made-up' })).status, 401);
      assert.equal((await api.fetch('/auth/me')).status, 401);
    });

    it('logs out by refresh token too', async () => {
      const s = await login('alice@example.com', 'correct horse battery');
      assert.equal((await post('/auth/logout', { refresh_token: s.refresh_token })).status, 204);
      assert.equal((await post('/auth/refresh', { refresh_token: s.refresh_token })).status, 401);
    });

    it('verifies an imported bcrypt hash and upgrades it to argon2id', async () => {
      await api.sql(`INSERT INTO auth.users (email, password_hash) VALUES ('legacy@example.com', $1)`, [bcrypt.hashSync('legacy password', 4)]);
      assert.equal((await post('/auth/login', { email: 'legacy@example.com', password: 'wrong one!' })).status, 400);
      await login('legacy@example.com', 'legacy password');
      const rows = await api.sql(`SELECT password_hash FROM auth.users WHERE email = 'legacy@example.com'`);
      assert.match(String(rows[0]?.password_hash), /^\$argon2id\$/);
      await login('legacy@example.com', 'legacy password');
    });

    it('lets each user see and change only their own notes (RLS with issued tokens)', async () => {
      const carol = await (await post('/auth/signup', { email: 'carol@example.com', password: 'carol password' })).json() as SessionBody;
      const dave = await (await post('/auth/signup', { email: 'dave@example.com', password: 'dave password!' })).json() as SessionBody;
      await api.sql(`INSERT INTO api.notes (owner_id, body) VALUES ($1, 'carol note'), ($2, 'dave note')`, [carol.user.id, dave.user.id]);
      const notes = async (s: SessionBody) => {
        const r = await api.fetch('/notes?select=body,owner_id', { headers: { Authorization: `Bearer ${s.access_token}` } });
        assert.equal(r.status, 200);
        return await r.json() as Array<{ body: string; owner_id: string }>;
      };
      assert.deepEqual(await notes(carol), [{ body: 'carol note', owner_id: carol.user.id }]);
      assert.deepEqual(await notes(dave), [{ body: 'dave note', owner_id: dave.user.id }]);
      assert.equal((await api.fetch('/notes')).status, 401);

      const as = (s: SessionBody, method: string, path: string, body?: unknown) => api.fetch(path, {
        method, headers: { Authorization: `Bearer ${s.access_token}`, 'Content-Type': 'application/json', Prefer: 'return=representation' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const created = await as(carol, 'POST', '/notes?select=body,owner_id', { body: 'carol second' });
      assert.equal(created.status, 201, await created.clone().text());
      assert.deepEqual(await created.json(), [{ body: 'carol second', owner_id: carol.user.id }]);
      // Writing a row owned by someone else breaks the policy's WITH CHECK: 403 for a signed-in user.
      const forged = await as(carol, 'POST', '/notes', { body: 'planted', owner_id: dave.user.id });
      assert.equal(forged.status, 403);
      assert.equal((await errorOf(forged)).code, '42501');
      // Dave's rows are invisible to Carol's PATCH and DELETE.
      assert.deepEqual(await (await as(carol, 'PATCH', '/notes?body=eq.dave%20note', { body: 'hacked' })).json(), []);
      assert.deepEqual(await (await as(carol, 'DELETE', '/notes?body=eq.dave%20note')).json(), []);
      assert.deepEqual(await notes(dave), [{ body: 'dave note', owner_id: dave.user.id }]);
      assert.equal((await as(dave, 'PATCH', '/notes?body=eq.dave%20note', { body: 'dave edited' })).status, 200);
      assert.deepEqual((await notes(dave)).map((n) => n.body), ['dave edited']);
      // The auth schema is never reachable through the API.
      const users = await api.fetch('/users', { headers: { Authorization: `Bearer ${carol.access_token}`, 'Accept-Profile': 'auth' } });
      assert.equal(users.status, 406);
    });
  });
}
