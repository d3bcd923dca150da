// The auth service for browsers and under attack (pglite: none of this depends on the backend):
// cookie mode keeps the refresh token in an httpOnly SameSite cookie; HS256 signing with
// jwt-secret; per-account backoff and per-address limits with Retry-After.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { startTestApi, type TestApi } from '../helpers/backends.js';

const secret = 'cookie-and-rate-limit-secret-of-32-chars-at-least';

describe('auth service: cookie mode, HS256 and rate limits (pglite)', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi('pglite', {
      fixtures: ['auth.sql'],
      options: {
        'jwt-secret': secret, 'auth-signing-alg': 'HS256', 'auth-cookie-mode': 'true', 'auth-cookie-secure': 'false',
        'auth-rate-limit-account': '3', 'auth-rate-limit-ip': '20',
      },
    });
  });
  after(async () => { await api?.close(); });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    api.fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const cookieOf = (r: Response) => {
    const c = r.headers.get('set-cookie') ?? '';
    return { header: c, value: /^pesquel_refresh=([^;]*)/.exec(c)?.[1] ?? '' };
  };

  it('puts the refresh token only in an httpOnly SameSite cookie scoped to /auth', async () => {
    const r = await post('/auth/signup', { email: 'web@example.com', password: 'browser password' });
    assert.equal(r.status, 201);
    const body = await r.json() as Record<string, unknown>;
    assert.equal(body.refresh_token, undefined);
    assert.equal(typeof body.access_token, 'string');
    const c = cookieOf(r);
    assert.match(c.header, /; Path=\/auth; Max-Age=2592000; HttpOnly; SameSite=Strict$/);
    assert.ok(c.value.length >= 40);

    // Signed with jwt-secret (HS256), so any PostgREST-style verifier of that secret accepts it.
    const token = body.access_token as string;
    assert.equal(decodeProtectedHeader(token).alg, 'HS256');
    await jwtVerify(token, new TextEncoder().encode(secret));
    assert.equal((await api.fetch('/.well-known/jwks.json')).status, 404);

    const refreshed = await api.fetch('/auth/refresh', { method: 'POST', headers: { Cookie: `pesquel_refresh=${c.value}` } });
    assert.equal(refreshed.status, 200, await refreshed.clone().text());
    const next = cookieOf(refreshed);
    assert.notEqual(next.value, c.value);
    assert.equal((await api.fetch('/auth/refresh', { method: 'POST', headers: { Cookie: `pesquel_refresh=${c.value}` } })).status, 401);

    const again = await post('/auth/login', { email: 'web@example.com', password: 'browser password' });
    const live = cookieOf(again);
    const out = await api.fetch('/auth/logout', { method: 'POST', headers: { Cookie: `pesquel_refresh=${live.value}` } });
    assert.equal(out.status, 204);
    assert.match(cookieOf(out).header, /^pesquel_refresh=; Path=\/auth; Max-Age=0; HttpOnly/);
    assert.equal((await api.fetch('/auth/refresh', { method: 'POST', headers: { Cookie: `pesquel_refresh=${live.value}` } })).status, 401);
  });

  it('backs off an account after repeated failures, known or unknown, even for the right password', async () => {
    for (const email of ['web@example.com', 'ghost@example.com']) {
      for (let i = 0; i < 3; i++) assert.equal((await post('/auth/login', { email, password: 'wrong password' })).status, 400);
      const blocked = await post('/auth/login', { email, password: 'browser password' });
      assert.equal(blocked.status, 429, email);
      assert.equal(blocked.headers.get('retry-after'), '1');
      assert.equal(((await blocked.json()) as { code: string }).code, 'PSQA06');
    }
    // The backoff runs out (moved into the past rather than waited for).
    await api.sql(`UPDATE auth.login_attempts SET blocked_until = now() - interval '1 millisecond'`);
    assert.equal((await post('/auth/login', { email: 'web@example.com', password: 'browser password' })).status, 200);
  });

  it('limits attempts per client address', async () => {
    let status = 0;
    let retryAfter: string | null = null;
    for (let i = 0; i < 25 && status !== 429; i++) {
      const r = await post('/auth/login', { email: `spray${i}@example.com`, password: 'whatever pw' });
      status = r.status;
      retryAfter = r.headers.get('retry-after');
    }
    assert.equal(status, 429);
    assert.ok(Number(retryAfter) >= 1 && Number(retryAfter) <= 60);
  });
});
