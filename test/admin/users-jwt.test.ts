// Sign-in to the admin UI with a token of the issuer the API trusts (admin-jwt-claim): verified as
// the API verifies tokens, it must expire, and its claim must name an existing account, whose role
// applies. Wrong signatures, unknown accounts and tokens without exp are refused.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import { adminKinds, startAdmin, type AdminFixture } from './helpers.js';

const secret = 'admin-ui-token-sign-in-secret-0123456789';
const sign = (claims: Record<string, unknown>, key = secret, exp: string | null = '5m') => {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt();
  return (exp ? jwt.setExpirationTime(exp) : jwt).sign(new TextEncoder().encode(key));
};

for (const kind of adminKinds()) {
  describe(`admin sign-in with a JWT of the API's issuer (${kind})`, () => {
    let f: AdminFixture;
    before(async () => {
      f = await startAdmin(kind, [], { 'jwt-secret': secret, 'admin-jwt-claim': '.email' });
      await f.client.call('POST', '/api/users', { email: 'oidc@example.com', role: 'editor' });
    });
    after(async () => { await f?.close(); });

    const login = (token: string) => fetch(f.ui.url + '/api/login/jwt', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token }) });

    it('signs a token whose claim names an account in with that account and role', async () => {
      const probe = (await (await fetch(f.ui.url + '/api/session')).json()) as { jwtSignIn: boolean };
      assert.equal(probe.jwtSignIn, true);
      const r = await login(await sign({ email: 'OIDC@example.com', role: 'api_user' }));
      assert.equal(r.status, 200);
      const s = (await r.json()) as { account: { email: string; role: string } };
      assert.deepEqual(s.account, { email: 'oidc@example.com', role: 'editor' });
      assert.match(r.headers.get('set-cookie') ?? '', /pesquel_admin_session=.+; HttpOnly/);
    });

    it('refuses wrong signatures, unknown accounts, tokens without exp and expired ones', async () => {
      assert.equal((await login(await sign({ email: 'oidc@example.com' }, 'another-secret-of-32-characters-or-more'))).status, 401);
      assert.equal((await login(await sign({ email: 'nobody@example.com' }))).status, 401);
      assert.equal((await login(await sign({ sub: 'oidc@example.com' }))).status, 401);
      const noExp = await login(await sign({ email: 'oidc@example.com' }, secret, null));
      assert.equal(noExp.status, 401);
      assert.match(await noExp.text(), /no exp claim/);
      const expired = await login(await sign({ email: 'oidc@example.com', exp: Math.floor(Date.now() / 1000) - 3600 }, secret, null));
      assert.equal(expired.status, 401);
      assert.equal((await login('not.a.token')).status, 401);
    });
  });
}
