// Hostile tokens on every backend: alg none, HS/RS algorithm confusion, expired and not-yet-valid
// tokens, wrong audiences, huge tokens, malformed segments, tampered payloads, odd headers and role
// claims naming special words. Each is refused as PostgREST refuses it (401 PGRST301/PGRST303, or
// 22023 for a role that does not exist; 431 PGRST190 past the header limit), none is a 5xx, and no
// request ever runs as a role its token does not validly name.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { backendKinds, startTestApi, type TestApi } from '../helpers/backends.js';

const secret = 'a-reliability-secret-that-is-at-least-32-characters';
const key = new TextEncoder().encode(secret);
const aud = 'pesquel-reliability';
const now = () => Math.floor(Date.now() / 1000);
const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

const sign = (claims: Record<string, unknown>, alg = 'HS256', header: Record<string, unknown> = {}) =>
  new SignJWT(claims as JWTPayload).setProtectedHeader({ alg, typ: 'JWT', ...header }).sign(key);
/** An HS256 token signed by hand (any header and payload text, any key). */
const hmacToken = (header: unknown, payload: unknown, hmacKey: string | Buffer, alg = 'sha256') => {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac(alg, hmacKey).update(input).digest('base64url')}`;
};

interface Answer { readonly status: number; readonly code: string | null; readonly role: string | null }

async function ask(api: TestApi, authorization: string | null): Promise<Answer> {
  const r = await api.fetch('/fz_whoami', authorization === null ? {} : { headers: { Authorization: authorization } });
  const text = await r.text();
  const body = JSON.parse(text) as Array<{ role: string }> | { code: string };
  return Array.isArray(body) ? { status: r.status, code: null, role: body[0]?.role ?? null } : { status: r.status, code: body.code, role: null };
}

/** Refused with one of `codes` at `status`, never a 5xx, never a role. */
function refused(a: Answer, label: string, codes: readonly string[], status = 401): void {
  assert.equal(a.status, status, `${label}: ${JSON.stringify(a)}`);
  assert.ok(a.code !== null && codes.includes(a.code), `${label}: ${JSON.stringify(a)}`);
}

for (const kind of backendKinds().filter((k) => k !== 'pgbouncer')) {
  describe(`JWT attacks (${kind}, HS secret with an audience)`, () => {
    let api: TestApi;
    before(async () => {
      api = await startTestApi(kind, { fixtures: ['fuzz.sql'], options: { 'jwt-secret': secret, 'jwt-aud': aud } });
    });
    after(async () => {
      await api?.close();
    });

    it('a valid token switches to its role, no token is anonymous (the baseline)', async () => {
      assert.deepEqual(await ask(api, `Bearer ${await sign({ role: 'api_user', aud, exp: now() + 60 })}`), { status: 200, code: null, role: 'api_user' });
      assert.deepEqual(await ask(api, null), { status: 200, code: null, role: 'api_anon' });
    });

    it('alg none, with or without a signature, in any spelling', async () => {
      const payload = { role: 'api_user', aud, exp: now() + 60 };
      const valid = (await sign(payload)).split('.')[2];
      for (const alg of ['none', 'None', 'NONE', 'nOnE', '']) {
        for (const sig of ['', valid, 'AAAA']) {
          refused(await ask(api, `Bearer ${b64({ alg, typ: 'JWT' })}.${b64(payload)}.${sig}`), `alg ${JSON.stringify(alg)}`, ['PGRST301']);
        }
      }
      refused(await ask(api, `Bearer ${b64({ typ: 'JWT' })}.${b64(payload)}.`), 'no alg', ['PGRST301']);
    });

    it('expired, not yet valid, wrong audience: 401 PGRST303', async () => {
      for (const [label, claims] of [
        ['expired', { role: 'api_user', aud, exp: now() - 3600 }],
        ['expired long ago', { role: 'api_user', aud, exp: 1 }],
        ['not yet valid', { role: 'api_user', aud, nbf: now() + 3600, exp: now() + 7200 }],
        ['wrong audience', { role: 'api_user', aud: 'someone-else', exp: now() + 60 }],
        ['audience list without ours', { role: 'api_user', aud: ['a', 'b'], exp: now() + 60 }],
      ] as const) {
        refused(await ask(api, `Bearer ${await sign(claims)}`), label, ['PGRST303']);
      }
      for (const exp of ['tomorrow', [1], { n: 1 }]) {
        const a = await ask(api, `Bearer ${await sign({ role: 'api_user', aud, exp })}`);
        refused(a, `exp ${JSON.stringify(exp)}`, ['PGRST301', 'PGRST303']);
      }
    });

    it('tampered payloads and foreign keys: 401 PGRST301', async () => {
      const [h, , s] = (await sign({ role: 'api_anon', aud, exp: now() + 60 })).split('.');
      refused(await ask(api, `Bearer ${h}.${b64({ role: 'api_user', aud, exp: now() + 60 })}.${s}`), 'payload swapped', ['PGRST301']);
      refused(await ask(api, `Bearer ${hmacToken({ alg: 'HS256', typ: 'JWT' }, { role: 'api_user', aud }, 'a-different-secret-that-is-also-32-characters')}`), 'other secret', ['PGRST301']);
      refused(await ask(api, `Bearer ${hmacToken({ alg: 'HS256', typ: 'JWT' }, { role: 'api_user', aud }, '')}`), 'empty key', ['PGRST301']);
      const { privateKey } = await generateKeyPair('RS256');
      const rs = await new SignJWT({ role: 'api_user', aud }).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
      refused(await ask(api, `Bearer ${rs}`), 'RS256 token for an HS secret', ['PGRST301']);
      // Headers that must not steer verification: key ids, key URLs, embedded keys, crit.
      for (const extra of [{ kid: '../../../../dev/null' }, { kid: "' OR 1=1 --" }, { jku: 'http://127.0.0.1:9/keys' }, { x5u: 'http://127.0.0.1:9/x5u' },
        { jwk: await exportJWK((await generateKeyPair('ES256')).publicKey) }, { crit: ['exp'] }]) {
        const a = await ask(api, `Bearer ${hmacToken({ alg: 'HS256', typ: 'JWT', ...extra }, { role: 'api_user', aud }, 'attacker-chosen-secret-of-32-characters!')}`);
        refused(a, `header ${JSON.stringify(extra).slice(0, 60)}`, ['PGRST301']);
      }
    });

    it('malformed tokens and Authorization values: refused or anonymous, never a 5xx or a role', async () => {
      const good = await sign({ role: 'api_user', aud, exp: now() + 60 });
      const [h, p, s] = good.split('.') as [string, string, string];
      const values = [
        'Bearer ', 'Bearer', 'Bearer  ', `Bearer ${h}.${p}`, `Bearer ${h}.${p}.${s}.${s}`, `Bearer ${h}..${s}`, 'Bearer ...', 'Bearer ..',
        `Bearer ${h}.${p}.${s}=`, `Bearer ${h}.${p}.!!!`, `Bearer ${h}.${b64('not json')}.${s}`, `Bearer ${b64('[1]')}.${p}.${s}`,
        `Bearer ${h}.${b64([1, 2])}.${s}`, `Bearer ${h}.${b64(42)}.${s}`, `Bearer ${h}.${b64('null')}.${s}`, `Bearer ${b64('{')}.${p}.${s}`,
        `Bearer ${'x'.repeat(12_000)}`, `Bearer ${'a.'.repeat(3000)}a`, `Bearer ${good} extra`, `Bearer ${good}.`, `Bearer ${good}${good}`,
        `Basic ${Buffer.from('api_user:x').toString('base64')}`, `Token ${good}`, 'Bearer %00', `Bearer ${good.replace(/./, 'é')}`,
      ];
      for (const v of values) {
        const a = await ask(api, v);
        assert.ok(a.status < 500, `${v.slice(0, 80)}: ${JSON.stringify(a)}`);
        if (a.status === 200) assert.equal(a.role, 'api_anon', v.slice(0, 80));
        else assert.ok(a.status === 400 || a.status === 401, `${v.slice(0, 80)}: ${JSON.stringify(a)}`);
      }
    });

    it('a 1 MB token gets 431 PGRST190 before any verification', async () => {
      refused(await ask(api, `Bearer ${'a'.repeat(1024 * 1024)}`), '1 MB token', ['PGRST190'], 431);
      const payload = { role: 'api_user', aud, exp: now() + 60, pad: 'x'.repeat(20_000) };
      refused(await ask(api, `Bearer ${await sign(payload)}`), 'validly signed 27 kB token', ['PGRST190'], 431);
    });

    it('role claims naming special words or privileged roles never switch to them', async () => {
      const [superuser] = await api.sql('SELECT rolname FROM pg_roles WHERE rolsuper ORDER BY oid LIMIT 1');
      for (const role of ['none', 'NONE', 'default', 'public', 'current_user', 'session_user', 'current_role', 'user', 'all', 'ghost', 'api_user ', 'API_USER', ' ', 'api_user"; --']) {
        refused(await ask(api, `Bearer ${await sign({ role, aud, exp: now() + 60 })}`), `role ${JSON.stringify(role)}`, ['22023', 'PGRST301', 'PGRST303']);
      }
      for (const role of [String(superuser?.rolname), 'authenticator', 'pg_read_all_data', 'pg_database_owner']) {
        const a = await ask(api, `Bearer ${await sign({ role, aud, exp: now() + 60 })}`);
        assert.ok(a.status === 401 || a.status === 403, `role ${role}: ${JSON.stringify(a)}`);
      }
      for (const role of [123, ['api_user'], { r: 'api_user' }, true]) {
        const a = await ask(api, `Bearer ${await sign({ role, aud, exp: now() + 60 })}`);
        refused(a, `role ${JSON.stringify(role)}`, ['PGRST303', 'PGRST301', '22023']);
      }
    });
  });
}

describe('JWT attacks (pglite, RSA public key as jwt-secret)', () => {
  let api: TestApi;
  let publicJwk: string;
  let publicPem: string;
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  before(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    privateKey = pair.privateKey;
    publicJwk = JSON.stringify({ ...(await exportJWK(pair.publicKey)), alg: 'RS256' });
    publicPem = await exportSPKI(pair.publicKey);
    api = await startTestApi('pglite', { fixtures: ['fuzz.sql'], options: { 'jwt-secret': publicJwk, 'auth-enabled': 'false' } });
  });
  after(async () => {
    await api?.close();
  });

  it('accepts RS256 from the key, refuses HS256 signed with the public key (algorithm confusion)', async () => {
    const rs = await new SignJWT({ role: 'api_user', exp: now() + 60 }).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
    assert.deepEqual(await ask(api, `Bearer ${rs}`), { status: 200, code: null, role: 'api_user' });
    const payload = { role: 'api_user', exp: now() + 60 };
    const n = (JSON.parse(publicJwk) as { n: string }).n;
    for (const hmacKey of [publicJwk, publicPem, publicPem.trim(), n, Buffer.from(n, 'base64url')]) {
      for (const [alg, hash] of [['HS256', 'sha256'], ['HS384', 'sha384'], ['HS512', 'sha512']] as const) {
        refused(await ask(api, `Bearer ${hmacToken({ alg, typ: 'JWT' }, payload, hmacKey, hash)}`), `${alg} with the public key`, ['PGRST301']);
      }
    }
    refused(await ask(api, `Bearer ${b64({ alg: 'none' })}.${b64(payload)}.`), 'alg none', ['PGRST301']);
    const [h, , s] = rs.split('.');
    refused(await ask(api, `Bearer ${h}.${b64({ role: 'postgres', exp: now() + 60 })}.${s}`), 'RS256 payload swapped', ['PGRST301']);
  });
});
