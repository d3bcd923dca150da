// JWT verification as PostgREST does it, on every backend: each failure mode with its PGRST code,
// message and WWW-Authenticate header; the role claim, role guard, db-pre-request and role
// settings; and RLS on api.notes for anonymous vs. two users.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { backendKinds, startTestApi, type TestApi } from '../helpers/backends.js';

const secret = 'a-test-secret-that-is-at-least-32-characters-long';
const key = new TextEncoder().encode(secret);
const aud = 'pesquel-test';
const now = () => Math.floor(Date.now() / 1000);

const sign = (claims: Record<string, unknown>, alg = 'HS256', header: Record<string, unknown> = {}) =>
  new SignJWT(claims as JWTPayload).setProtectedHeader({ alg, typ: 'JWT', ...header }).sign(key);
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const bearer = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } });

async function expectError(r: Response, status: number, code: string, message: string) {
  assert.equal(r.status, status);
  const body = await r.json() as Record<string, unknown>;
  assert.deepEqual(body, { code, details: null, hint: null, message });
  if (code === 'PGRST301' || code === 'PGRST303') {
    assert.equal(r.headers.get('www-authenticate'), `Bearer error="invalid_token", error_description="${message}"`);
  }
}

for (const kind of backendKinds()) {
  describe(`JWT verification (${kind})`, () => {
    let api: TestApi;
    const alice = randomUUID();
    const bob = randomUUID();
    before(async () => {
      api = await startTestApi(kind, {
        fixtures: ['auth.sql'],
        options: { 'jwt-secret': secret, 'jwt-aud': aud, 'db-pre-request': 'api.pre_request', 'jwt-cache-max-lifetime': '60' },
      });
      await api.sql(`INSERT INTO auth.users (id, email, password_hash) VALUES ($1, 'alice@example.com', 'x'), ($2, 'bob@example.com', 'x')`, [alice, bob]);
      await api.sql(`INSERT INTO api.notes (owner_id, body) VALUES ($1, 'alice 1'), ($1, 'alice 2'), ($2, 'bob 1')`, [alice, bob]);
    });
    after(async () => { await api?.close(); });

    const whoami = async (init?: RequestInit) => {
      const r = await api.fetch('/whoami', init);
      assert.equal(r.status, 200, await r.clone().text());
      const [row] = await r.json() as Array<{ role: string; claims: string; statement_timeout: string; uid: string | null }>;
      return { ...row!, claims: JSON.parse(row!.claims) as Record<string, unknown>, preRequest: r.headers.get('x-pre-request') };
    };

    it('runs a request without a token as the anonymous role', async () => {
      const w = await whoami();
      assert.equal(w.role, 'api_anon');
      assert.deepEqual(w.claims, { role: 'api_anon' });
    });

    it('switches to the role of a valid HS256/384/512 token and exposes its claims', async () => {
      for (const alg of ['HS256', 'HS384', 'HS512']) {
        const w = await whoami(bearer(await sign({ role: 'api_user', sub: alice, aud, exp: now() + 60 }, alg)));
        assert.equal(w.role, 'api_user');
        assert.equal(w.claims.sub, alice);
        assert.equal(w.uid, alice);
      }
    });

    it('applies the role settings (ALTER ROLE … SET) and calls db-pre-request after them', async () => {
      const w = await whoami(bearer(await sign({ role: 'api_user' })));
      assert.equal(w.statement_timeout, '7s');
      assert.equal(w.preRequest, 'api_user');
      const r = await api.fetch('/whoami', { headers: { 'X-Deny': 'yes' } });
      assert.equal(r.status, 403);
      assert.equal(((await r.json()) as { message: string }).message, 'denied by db-pre-request');
    });

    it('accepts the lowercase bearer scheme and ignores other schemes', async () => {
      const w = await whoami({ headers: { Authorization: `bearer ${await sign({ role: 'api_user' })}` } });
      assert.equal(w.role, 'api_user');
      assert.equal((await whoami({ headers: { Authorization: 'Basic dXNlcjpwYXNz' } })).role, 'api_anon');
    });

    it('uses the anonymous role when the token has no role claim', async () => {
      const w = await whoami(bearer(await sign({ sub: 'someone' })));
      assert.equal(w.role, 'api_anon');
      assert.equal(w.claims.sub, 'someone');
      assert.equal(w.claims.role, 'api_anon');
    });

    it('refuses a bad signature (PGRST301)', async () => {
      const good = await sign({ role: 'api_user' });
      const forged = good.slice(0, good.lastIndexOf('.') + 1) + Buffer.from('not the signature').toString('base64url');
      await expectError(await api.fetch('/whoami', bearer(forged)), 401, 'PGRST301', 'JWT cryptographic operation failed');
      const other = await new SignJWT({ role: 'api_user' }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('another-secret-of-at-least-32-characters!'));
      await expectError(await api.fetch('/whoami', bearer(other)), 401, 'PGRST301', 'JWT cryptographic operation failed');
    });

    it("refuses alg 'none' and unsupported algorithms (PGRST301)", async () => {
      const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ role: 'api_user' })}.`;
      await expectError(await api.fetch('/whoami', bearer(none)), 401, 'PGRST301', 'Wrong or unsupported encoding algorithm');
      const weird = `${b64({ alg: 'HS1', typ: 'JWT' })}.${b64({ role: 'api_user' })}.c2ln`;
      await expectError(await api.fetch('/whoami', bearer(weird)), 401, 'PGRST301', 'Wrong or unsupported encoding algorithm');
    });

    it('refuses a token signed with an algorithm no configured key fits (PGRST301)', async () => {
      const { privateKey } = await generateKeyPair('RS256');
      const rs = await new SignJWT({ role: 'api_user' }).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
      await expectError(await api.fetch('/whoami', bearer(rs)), 401, 'PGRST301', 'No suitable key or wrong key type');
    });

    it('refuses malformed and empty tokens (PGRST301)', async () => {
      await expectError(await api.fetch('/whoami', bearer('abc.def')), 401, 'PGRST301', 'Expected 3 parts in JWT; got 2');
      await expectError(await api.fetch('/whoami', bearer('a.b.c.d')), 401, 'PGRST301', 'Expected 3 parts in JWT; got 4');
      await expectError(await api.fetch('/whoami', bearer('%%%.&&&.***')), 401, 'PGRST301', 'JWT cryptographic operation failed');
      await expectError(await api.fetch('/whoami', { headers: { Authorization: 'Bearer ' } }), 401, 'PGRST301', 'Empty JWT is sent in Authorization header');
    });

    it('checks exp, nbf and iat with 30 seconds of clock skew (PGRST303)', async () => {
      await expectError(await api.fetch('/whoami', bearer(await sign({ role: 'api_user', exp: now() - 60 }))), 401, 'PGRST303', 'JWT expired');
      assert.equal((await whoami(bearer(await sign({ role: 'api_user', exp: now() - 10 })))).role, 'api_user');
      await expectError(await api.fetch('/whoami', bearer(await sign({ role: 'api_user', nbf: now() + 120 }))), 401, 'PGRST303', 'JWT not yet valid');
      assert.equal((await whoami(bearer(await sign({ role: 'api_user', nbf: now() + 10 })))).role, 'api_user');
      await expectError(await api.fetch('/whoami', bearer(await sign({ role: 'api_user', iat: now() + 120 }))), 401, 'PGRST303', 'JWT issued at future');
      await expectError(await api.fetch('/whoami', bearer(await sign({ role: 'api_user', exp: 'soon' }))), 401, 'PGRST303', "The JWT 'exp' claim must be a number");
    });

    it('checks the audience (PGRST303)', async () => {
      await expectError(await api.fetch('/whoami', bearer(await sign({ role: 'api_user', aud: 'someone-else' }))), 401, 'PGRST303', 'JWT not in audience');
      await expectError(await api.fetch('/whoami', bearer(await sign({ role: 'api_user', aud: 42 }))), 401, 'PGRST303', "The JWT 'aud' claim must be a string or an array of strings");
      assert.equal((await whoami(bearer(await sign({ role: 'api_user', aud: ['x', aud] })))).role, 'api_user');
    });

    it('answers 401 for a role that does not exist', async () => {
      const r = await api.fetch('/whoami', bearer(await sign({ role: 'ghost' })));
      assert.equal(r.status, 401);
      const body = await r.json() as { code: string; message: string };
      assert.equal(body.code, '22023');
      assert.equal(body.message, 'role "ghost" does not exist');
    });

    it('never runs a request as a superuser, a BYPASSRLS role or the authenticator itself (403)', async () => {
      for (const role of ['postgres', 'api_bypass', 'authenticator']) {
        const r = await api.fetch('/whoami', bearer(await sign({ role })));
        assert.equal(r.status, 403, role);
        const body = await r.json() as { code: string; message: string };
        assert.equal(body.code, '42501');
        assert.equal(body.message, `permission denied to set role "${role}"`);
      }
    });

    it('serves a cached token again, and still refuses it once expired', async () => {
      const t = await sign({ role: 'api_user', exp: now() + 60 });
      assert.equal((await whoami(bearer(t))).role, 'api_user');
      assert.equal((await whoami(bearer(t))).role, 'api_user');
    });

    it('enforces RLS on api.notes: anonymous is refused, each user sees only their own rows', async () => {
      const anon = await api.fetch('/notes');
      assert.equal(anon.status, 401);
      assert.equal(((await anon.json()) as { code: string }).code, '42501');
      const read = async (sub: string) => {
        const r = await api.fetch('/notes?select=body&order=body', bearer(await sign({ role: 'api_user', sub })));
        assert.equal(r.status, 200);
        return (await r.json() as Array<{ body: string }>).map((n) => n.body);
      };
      assert.deepEqual(await read(alice), ['alice 1', 'alice 2']);
      assert.deepEqual(await read(bob), ['bob 1']);
      assert.deepEqual(await read(randomUUID()), []);
    });
  });
}
