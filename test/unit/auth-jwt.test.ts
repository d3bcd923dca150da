// Pure tests of JWT verification: JSPath, key selection over JWK/JWKS (RS/PS/ES/EdDSA, HS, oct,
// kid), PostgREST's claim checks, the verified-token cache, and jwt-secret from @file.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { ApiError } from '../../src/errors/api-error.js';
import { loadConfig } from '../../src/config/config.js';
import { JsPathError, parseJsPath, walkJsPath } from '../../src/auth/jspath.js';
import { fixedSource, staticKeys, type KeySource } from '../../src/auth/jwt/keys.js';
import { verifySignature } from '../../src/auth/jwt/verify.js';
import { roleClaim, validateClaims } from '../../src/auth/jwt/claims.js';
import { TokenCache } from '../../src/auth/jwt/cache.js';
import { bearerToken, createJwtVerifier } from '../../src/auth/jwt/authenticator.js';

const claims = {
  role: 'r0',
  app_metadata: { role: 'r1' },
  'https://x/role': { key: 'r2' },
  postgrest: { roles: ['a', 'b'] },
  roles: ['user', 'admin-x', 'x-editor'],
  n: 7,
};

describe('JSPath (jwt-role-claim-key)', () => {
  const cases: Array<[string, unknown]> = [
    ['.role', 'r0'],
    ['.app_metadata.role', 'r1'],
    ['."https://x/role".key', 'r2'],
    ['.postgrest.roles[1]', 'b'],
    ['.postgrest.roles[5]', undefined],
    ['.missing.role', undefined],
    ['.roles[?(@ == "user")]', 'user'],
    ['.roles[?(@ != "user")]', 'admin-x'],
    ['.roles[?(@ ^== "admin")]', 'admin-x'],
    ['.roles[?(@ ==^ "editor")]', 'x-editor'],
    ['.roles[?(@ *== "min")]', 'admin-x'],
    ['.roles[?(@ == "nobody")]', undefined],
  ];
  for (const [path, expected] of cases) {
    it(`${path} → ${String(expected)}`, () => assert.equal(walkJsPath(claims, parseJsPath(path)), expected));
  }
  it('gives non-string claims as JSON text, like PostgREST', () => assert.equal(roleClaim(claims, parseJsPath('.n')), '7'));
  for (const bad of ['role', '.', '.a[', '.a[x]', '."open', '.a[?(@ == "x")].b']) {
    it(`refuses ${JSON.stringify(bad)}`, () => assert.throws(() => parseJsPath(bad), JsPathError));
  }
});

describe('bearer tokens', () => {
  it('reads Bearer and bearer, ignores other schemes', () => {
    assert.equal(bearerToken('Bearer abc'), 'abc');
    assert.equal(bearerToken('bearer  abc '), 'abc');
    assert.equal(bearerToken('Bearer'), '');
    assert.equal(bearerToken('Basic abc'), null);
    assert.equal(bearerToken(undefined), null);
  });
});

async function decodeFails(token: string, sources: KeySource[], message: string) {
  await assert.rejects(verifySignature(token, sources), (e: ApiError) => e.code === 'PGRST301' && e.message === message);
}

describe('signature verification with JWK and JWKS keys', () => {
  for (const alg of ['RS256', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA']) {
    it(`${alg}: a JWK (even with its private half) and a JWKS verify; other keys do not`, async () => {
      const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
      const token = await new SignJWT({ role: 'x' }).setProtectedHeader({ alg }).sign(privateKey);
      const jwk = await exportJWK(privateKey);
      assert.equal(JSON.parse(await verifySignature(token, [fixedSource(staticKeys(JSON.stringify(jwk), false))])).role, 'x');
      const jwks = JSON.stringify({ keys: [await exportJWK(publicKey)] });
      assert.equal(JSON.parse(await verifySignature(token, [fixedSource(staticKeys(jwks, false))])).role, 'x');
      const other = await generateKeyPair(alg, { extractable: true });
      await decodeFails(token, [fixedSource(staticKeys(JSON.stringify(await exportJWK(other.publicKey)), false))], 'JWT cryptographic operation failed');
    });
  }

  it('selects the key by kid, tries every key without one, and refuses an unknown kid', async () => {
    const a = await generateKeyPair('ES256', { extractable: true });
    const b = await generateKeyPair('ES256', { extractable: true });
    const jwks = { keys: [{ ...(await exportJWK(a.publicKey)), kid: 'a' }, { ...(await exportJWK(b.publicKey)), kid: 'b' }] };
    const src = [fixedSource(staticKeys(JSON.stringify(jwks), false))];
    const withKid = await new SignJWT({ role: 'b' }).setProtectedHeader({ alg: 'ES256', kid: 'b' }).sign(b.privateKey);
    assert.equal(JSON.parse(await verifySignature(withKid, src)).role, 'b');
    const noKid = await new SignJWT({ role: 'b' }).setProtectedHeader({ alg: 'ES256' }).sign(b.privateKey);
    assert.equal(JSON.parse(await verifySignature(noKid, src)).role, 'b');
    const unknown = await new SignJWT({ role: 'b' }).setProtectedHeader({ alg: 'ES256', kid: 'zzz' }).sign(b.privateKey);
    await decodeFails(unknown, src, 'No suitable key or wrong key type');
    const wrongKid = await new SignJWT({ role: 'b' }).setProtectedHeader({ alg: 'ES256', kid: 'a' }).sign(b.privateKey);
    await decodeFails(wrongKid, src, 'JWT cryptographic operation failed');
  });

  it('refreshes a source once on an unknown kid', async () => {
    const k = await generateKeyPair('ES256', { extractable: true });
    let keys = staticKeys(JSON.stringify({ keys: [] }), false);
    let refreshed = 0;
    const source: KeySource = {
      keys: async () => keys,
      refresh: async () => {
        refreshed++;
        keys = staticKeys(JSON.stringify({ keys: [{ ...(await exportJWK(k.publicKey)), kid: 'new' }] }), false);
        return true;
      },
    };
    const token = await new SignJWT({ role: 'x' }).setProtectedHeader({ alg: 'ES256', kid: 'new' }).sign(k.privateKey);
    assert.equal(JSON.parse(await verifySignature(token, [source])).role, 'x');
    assert.equal(refreshed, 1);
  });

  it('uses oct JWKs and base64 secrets for HS algorithms', async () => {
    const bytes = Buffer.from('0123456789abcdef0123456789abcdef-extra');
    const token = await new SignJWT({ role: 'x' }).setProtectedHeader({ alg: 'HS384' }).sign(bytes);
    assert.equal(JSON.parse(await verifySignature(token, [fixedSource(staticKeys(bytes.toString('base64'), true))])).role, 'x');
    const oct = JSON.stringify({ kty: 'oct', k: bytes.toString('base64url') });
    assert.equal(JSON.parse(await verifySignature(token, [fixedSource(staticKeys(oct, false))])).role, 'x');
    await decodeFails(token, [fixedSource(staticKeys(bytes.toString('base64'), false))], 'JWT cryptographic operation failed');
  });

  it('honours a JWK alg restriction', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
    const src = [fixedSource(staticKeys(JSON.stringify({ ...(await exportJWK(publicKey)), alg: 'RS512' }), false))];
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
    await decodeFails(token, src, 'No suitable key or wrong key type');
  });

  it('reads jwt-secret from a file (@path)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pesquel-jwt-'));
    try {
      writeFileSync(join(dir, 'jwks.json'), '{"keys": []}\n');
      assert.equal(loadConfig({ flags: { 'jwt-secret': `@${join(dir, 'jwks.json')}` } }).jwtSecret, '{"keys": []}');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses plain-http JWKS URLs except on loopback', () => {
    assert.throws(() => loadConfig({ flags: { 'jwt-secret': 'http://issuer.example.com/jwks.json' } }), /must use https/);
    assert.equal(loadConfig({ flags: { 'jwt-secret': 'http://127.0.0.1:9/jwks.json' } }).jwtSecret, 'http://127.0.0.1:9/jwks.json');
  });
});

describe('HS signatures (the node:crypto path)', () => {
  const secret = 'a-test-secret-that-is-at-least-32-characters-long';
  const src = [fixedSource(staticKeys(secret, false))];
  const sign = (alg: string, header: Record<string, unknown> = {}) =>
    new SignJWT({ role: 'x' }).setProtectedHeader({ alg, ...header }).sign(new TextEncoder().encode(secret));
  const hmac = (alg: string, input: string) => createHmac(`sha${alg.slice(2)}`, secret).update(input).digest('base64url');

  it('verifies HS256, HS384 and HS512 and refuses another secret', async () => {
    for (const alg of ['HS256', 'HS384', 'HS512']) {
      const token = await sign(alg);
      assert.equal(JSON.parse(await verifySignature(token, src)).role, 'x');
      await decodeFails(token, [fixedSource(staticKeys('another-secret-that-is-at-least-32-characters', false))], 'JWT cryptographic operation failed');
    }
  });
  it('accepts only the canonical signature text (no padding, no stray characters)', async () => {
    const token = await sign('HS256');
    for (const bad of [`${token}=`, `${token}.`, `${token.slice(0, -1)}*`, `${token}A`]) {
      await assert.rejects(verifySignature(bad, src), (e: ApiError) => e.code === 'PGRST301', bad.slice(-4));
    }
  });
  it('refuses a correctly signed payload that is not strict base64url', async () => {
    const head = Buffer.from(JSON.stringify({ alg: 'HS256' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ role: 'x' })).toString('base64url');
    const input = `${head}.${body.slice(0, 4)}*${body.slice(4)}`; // Buffer's decoder would skip the '*'
    await decodeFails(`${input}.${hmac('HS256', input)}`, src, 'JWT cryptographic operation failed');
  });
  it('leaves crit/b64 headers to jose, which refuses what it does not understand', async () => {
    const head = Buffer.from(JSON.stringify({ alg: 'HS256', crit: ['x-unknown'], 'x-unknown': 1 })).toString('base64url');
    const input = `${head}.${Buffer.from('{"role":"x"}').toString('base64url')}`;
    await decodeFails(`${input}.${hmac('HS256', input)}`, src, 'JWT cryptographic operation failed');
  });
});

describe('claims (PGRST303)', () => {
  const now = 1_000_000;
  const fails = (c: Record<string, unknown>, aud: string | null, message: string) =>
    assert.throws(() => validateClaims(c, aud, now), (e: ApiError) => e.code === 'PGRST303' && e.status === 401 && e.message === message);
  it('checks time claims with a 30 s skew', () => {
    validateClaims({ exp: now - 30, nbf: now + 30, iat: now + 30 }, null, now);
    fails({ exp: now - 31 }, null, 'JWT expired');
    fails({ nbf: now + 31 }, null, 'JWT not yet valid');
    fails({ iat: now + 31 }, null, 'JWT issued at future');
    fails({ exp: '1' }, null, "The JWT 'exp' claim must be a number");
    fails({ nbf: true }, null, "The JWT 'nbf' claim must be a number");
    fails({ iat: {} }, null, "The JWT 'iat' claim must be a number");
  });
  it('checks the audience', () => {
    validateClaims({ aud: 'a' }, 'a', now);
    validateClaims({ aud: ['b', 'a'] }, 'a', now);
    validateClaims({}, 'a', now);
    validateClaims({ aud: [] }, 'a', now);
    validateClaims({ aud: 'whatever' }, null, now);
    fails({ aud: 'b' }, 'a', 'JWT not in audience');
    fails({ aud: [1] }, 'a', "The JWT 'aud' claim must be a string or an array of strings");
  });
});

describe('verified-token cache', () => {
  it('keeps an entry until its lifetime or the token expiry, whichever is first', () => {
    const c = new TokenCache<string>(10_000, 2);
    c.set('a', 'A', 0, null);
    c.set('b', 'B', 0, 5_000);
    assert.equal(c.get('a', 9_999), 'A');
    assert.equal(c.get('a', 10_000), undefined);
    assert.equal(c.get('b', 5_000), undefined);
    c.set('x', 'X', 0, null);
    c.set('y', 'Y', 0, null);
    c.set('z', 'Z', 0, null);
    assert.equal(c.get('x', 1), undefined, 'the oldest entry makes room');
    assert.equal(new TokenCache<string>(0).enabled, false);
  });

  it('serves a cached result without verifying again', async () => {
    let calls = 0;
    const secret = new TextEncoder().encode('cache-test-secret-of-at-least-32-chars');
    const source: KeySource = { keys: async () => { calls++; return staticKeys('cache-test-secret-of-at-least-32-chars', false); }, refresh: async () => false };
    const v = createJwtVerifier({ sources: [source], audience: null, roleClaimPath: parseJsPath('.role'), anonRole: 'anon', cacheMaxLifetimeSeconds: 60, guard: null });
    const token = await new SignJWT({ role: 'u' }).setProtectedHeader({ alg: 'HS256' }).sign(secret);
    assert.equal((await v.authenticate({ authorization: `Bearer ${token}` })).role, 'u');
    assert.equal((await v.authenticate({ authorization: `Bearer ${token}` })).role, 'u');
    assert.equal(calls, 1);
  });
});

describe('tokens verified once against fixed keys', () => {
  const text = 'fixed-keys-test-secret-of-at-least-32-chars';
  const secret = new TextEncoder().encode(text);
  const role = parseJsPath('.role');
  const sign = (c: Record<string, unknown>) => new SignJWT(c).setProtectedHeader({ alg: 'HS256' }).sign(secret);
  const auth = (v: ReturnType<typeof createJwtVerifier>, token: string) => v.authenticate({ authorization: `Bearer ${token}` });
  const refusal = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (err) {
      return err instanceof ApiError ? `${err.code} ${err.message}` : String(err);
    }
    return 'accepted';
  };

  it('shares one frozen result per token and still checks exp and nbf against the clock', async () => {
    let nowMs = 1_000_000_000;
    const v = createJwtVerifier({ sources: [fixedSource(staticKeys(text, false))], audience: null, roleClaimPath: role, anonRole: 'anon', cacheMaxLifetimeSeconds: 0, guard: null, now: () => nowMs });
    const token = await sign({ role: 'u', exp: nowMs / 1000 + 60 });
    const a = await auth(v, token);
    const b = await auth(v, token);
    assert.equal(a, b);
    assert.ok(Object.isFrozen(a) && Object.isFrozen(a.claims));
    nowMs += 61_000 + 30_000; // past exp and the clock skew allowance
    assert.match(await refusal(auth(v, token)), /^PGRST303 JWT expired/);

    const later = await sign({ role: 'u', nbf: nowMs / 1000 + 3600 });
    assert.match(await refusal(auth(v, later)), /^PGRST303/);
    nowMs += 7200_000;
    assert.equal((await auth(v, later)).role, 'u', 'not remembered while it was refused');
  });

  it('never remembers a refused signature', async () => {
    const v = createJwtVerifier({ sources: [fixedSource(staticKeys(text, false))], audience: null, roleClaimPath: role, anonRole: 'anon', cacheMaxLifetimeSeconds: 0, guard: null });
    const token = await sign({ role: 'u' });
    const forged = `${token.slice(0, token.lastIndexOf('.'))}.${createHmac('sha256', 'another-secret').update('x').digest('base64url')}`;
    for (let i = 0; i < 2; i++) assert.match(await refusal(auth(v, forged)), /^PGRST301/);
    assert.equal((await auth(v, token)).role, 'u');
  });

  it('verifies every time the tokens of keys that may change (a JWKS URL, rotated signing keys)', async () => {
    const rotating = 'the-rotating-secret-of-at-least-32-characters';
    const jwk = (secretText: string) => JSON.stringify({ kty: 'oct', kid: 'k1', k: Buffer.from(secretText).toString('base64url') });
    let keys = staticKeys(jwk(rotating), false);
    const changing: KeySource = { keys: async () => keys, refresh: async () => false };
    const v = createJwtVerifier({ sources: [fixedSource(staticKeys(text, false)), changing], audience: null, roleClaimPath: role, anonRole: 'anon', cacheMaxLifetimeSeconds: 0, guard: null });
    const fromFixed = await sign({ role: 'u' });
    assert.equal(await auth(v, fromFixed), await auth(v, fromFixed));
    const fromChanging = await new SignJWT({ role: 'w' }).setProtectedHeader({ alg: 'HS256', kid: 'k1' }).sign(new TextEncoder().encode(rotating));
    const a = await auth(v, fromChanging);
    assert.equal(a.role, 'w');
    assert.notEqual(a, await auth(v, fromChanging));
    keys = staticKeys(jwk('a-rotated-secret-of-at-least-32-characters'), false);
    assert.match(await refusal(auth(v, fromChanging)), /^PGRST301/);
    assert.equal((await auth(v, fromFixed)).role, 'u');
  });
});
