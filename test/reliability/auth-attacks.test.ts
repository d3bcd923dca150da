// Attacks on authentication (issue 20): role claims PostgreSQL reads as something other than a
// role (`none` is RESET ROLE: the superuser on the embedded database, RLS off), and a hundred
// concurrent guesses of one account's password, which must get at most the allowance of checks —
// also when they are spread over two PeSquel instances on one database.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import { backendKinds, startTestApi, type TestApi } from '../helpers/backends.js';
import { startPesquel, type Running } from '../../src/http/main.js';
import { createLogger } from '../../src/observability/logger.js';
import { RateLimiter } from '../../src/auth/service/rate-limit.js';
import { backoffMs } from '../../src/auth/service/account-gate.js';

const secret = 'auth-attacks-test-secret-of-at-least-32-chars';
const allowance = 5;

/**
 * Checks a race's outcome: at most the allowance of password checks, plus one per backoff that ran
 * out while the hundred requests were still arriving (1 s, then 2 s more, 4 s more … on a slow
 * machine the race itself can take seconds). Without the reservation, 87-100 of 100 got through.
 */
async function race(n: number, attempt: (i: number) => Promise<Response>): Promise<{ checked: number; refused: number }> {
  const t0 = Date.now();
  const statuses = await Promise.all(Array.from({ length: n }, (_, i) => attempt(i).then((r) => r.status)));
  const seconds = (Date.now() - t0) / 1000;
  const checked = statuses.filter((s) => s === 400).length;
  const refused = statuses.filter((s) => s === 429).length;
  assert.equal(checked + refused, n, JSON.stringify(statuses));
  assert.ok(checked >= allowance && checked <= allowance + Math.floor(Math.log2(seconds + 1)), `${checked} checked in ${seconds} s`);
  return { checked, refused };
}

const sign = (claims: Record<string, unknown>) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('5m').sign(new TextEncoder().encode(secret));

for (const kind of backendKinds().filter((k) => k !== 'pgbouncer')) {
  describe(`auth attacks (${kind})`, () => {
    let api: TestApi;
    let alice: { id: string; token: string };
    let bob: { id: string; token: string };
    before(async () => {
      api = await startTestApi(kind, {
        fixtures: ['auth.sql'],
        options: {
          'jwt-secret': secret, 'auth-signing-alg': 'HS256', 'auth-trust-proxy': 'true',
          'auth-rate-limit-account': String(allowance), 'auth-rate-limit-ip': '1000',
        },
      });
      const signup = async (email: string) => {
        const r = await post('/auth/signup', { email, password: 'correct horse battery' });
        assert.equal(r.status, 201, await r.clone().text());
        const b = await r.json() as { access_token: string; user: { id: string } };
        return { id: b.user.id, token: b.access_token };
      };
      alice = await signup('alice@example.com');
      bob = await signup('bob@example.com');
      const note = await api.fetch('/notes', {
        method: 'POST', headers: { Authorization: `Bearer ${alice.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ body: 'alice private' }),
      });
      assert.equal(note.status, 201, await note.clone().text());
    });
    after(async () => { await api?.close(); });

    let ip = 0;
    function post(path: string, body: unknown, from = `198.51.100.${(ip++ % 250) + 1}`) {
      return api.fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': from }, body: JSON.stringify(body) });
    }

    it('refuses role claims that are not roles the authenticator may switch to, before the database sees them', async () => {
      const [superuser] = await api.sql('SELECT rolname FROM pg_roles WHERE rolsuper ORDER BY oid LIMIT 1');
      const cases: [string, number, string][] = [
        ['none', 401, '22023'], ['NONE', 401, '22023'], ['None', 401, '22023'], ['default', 401, '22023'], ['DEFAULT', 401, '22023'],
        ['public', 401, '22023'], ['PUBLIC', 401, '22023'], ['current_user', 401, '22023'], ['session_user', 401, '22023'],
        ['current_role', 401, '22023'], ['user', 401, '22023'], ['all', 401, '22023'], ['ghost', 401, '22023'], ['api_user ', 401, '22023'],
        ['API_USER', 401, '22023'], ['pg_nonexistent', 401, '22023'],
        ['pg_database_owner', 403, '42501'], ['pg_read_all_data', 403, '42501'], ['pg_signal_backend', 403, '42501'],
        [String(superuser?.rolname), 403, '42501'], ['authenticator', 403, '42501'], ['api_bypass', 403, '42501'],
      ];
      for (const [role, status, code] of cases) {
        for (const sub of [bob.id, alice.id]) {
          const r = await api.fetch('/notes', { headers: { Authorization: `Bearer ${await sign({ role, sub })}` } });
          const body = await r.json() as { code?: string; message?: string };
          assert.equal(r.status, status, `${role}: ${JSON.stringify(body)}`);
          assert.equal(body.code, code, role);
          if (code === '22023') {
            assert.equal(body.message, `role "${role}" does not exist`);
            assert.equal(r.headers.get('www-authenticate'), 'Bearer');
          }
        }
      }
    });

    it("never shows another user's private notes, whatever the role claim", async () => {
      for (const role of ['none', 'NONE', 'default', 'public', 'current_user', 'session_user', 'pg_database_owner', '', ' ', 'api_user']) {
        const r = await api.fetch('/notes', { headers: { Authorization: `Bearer ${await sign({ role, sub: bob.id })}` } });
        const text = await r.text();
        assert.doesNotMatch(text, /alice private/, `${JSON.stringify(role)}: ${text}`);
      }
      // The proper token still works, and RLS keeps each to their own.
      const own = await api.fetch('/notes?select=body', { headers: { Authorization: `Bearer ${alice.token}` } });
      assert.deepEqual(await own.json(), [{ body: 'alice private' }]);
      const other = await api.fetch('/notes', { headers: { Authorization: `Bearer ${bob.token}` } });
      assert.deepEqual(await other.json(), []);
    });

    it('checks at most the allowance of a hundred concurrent wrong passwords from a hundred addresses', async () => {
      const email = 'race@example.com';
      assert.equal((await post('/auth/signup', { email, password: 'the right password' })).status, 201);
      const { checked } = await race(100, () => post('/auth/login', { email, password: 'a wrong password' }));
      // Blocked, the right password is refused too. (The block is lengthened first: on a slow
      // machine the last backoff may already have run out by now.)
      await api.sql(`UPDATE auth.login_attempts SET blocked_until = now() + interval '1 minute' WHERE account = $1`, [email]);
      const blocked = await post('/auth/login', { email, password: 'the right password' });
      assert.equal(blocked.status, 429);
      assert.ok(Number(blocked.headers.get('retry-after')) >= 1);
      const [row] = await api.sql('SELECT failures FROM auth.login_attempts WHERE account = $1', [email]);
      assert.equal(Number(row?.failures), checked); // every check was counted

      // The backoff passes (moved into the past instead of waiting): the right password works and
      // the account's failures are forgotten.
      await api.sql(`UPDATE auth.login_attempts SET blocked_until = now() - interval '1 second' WHERE account = $1`, [email]);
      const ok = await post('/auth/login', { email, password: 'the right password' });
      assert.equal(ok.status, 200, await ok.clone().text());
      assert.deepEqual(await api.sql('SELECT failures FROM auth.login_attempts WHERE account = $1', [email]), []);
    });

    it('backs off unknown accounts alike, and doubles the wait after each failure past the allowance', async () => {
      const email = 'nobody@example.com';
      await race(40, () => post('/auth/login', { email, password: 'whatever pw' }));
      const waits: number[] = [];
      for (let i = 0; i < 3; i++) {
        await api.sql(`UPDATE auth.login_attempts SET blocked_until = now() - interval '1 second' WHERE account = $1`, [email]);
        assert.equal((await post('/auth/login', { email, password: 'whatever pw' })).status, 400);
        const [row] = await api.sql('SELECT round(extract(epoch FROM blocked_until - last_at))::int AS s FROM auth.login_attempts WHERE account = $1', [email]);
        waits.push(Number(row?.s));
        const refused = await post('/auth/login', { email, password: 'whatever pw' });
        assert.equal(refused.status, 429);
        assert.ok(Number(refused.headers.get('retry-after')) >= 1);
      }
      assert.ok(waits[0]! >= 2, String(waits));
      assert.deepEqual(waits, [waits[0], waits[0]! * 2, waits[0]! * 4]);
    });

    if (kind === 'postgres') {
      it('shares the count between two instances on one database', async () => {
        let second: Running | null = null;
        try {
          second = await startPesquel(api.config, { logger: createLogger('error') });
          const urls = [api.url, second.apiUrl];
          const email = 'shared@example.com';
          assert.equal((await post('/auth/signup', { email, password: 'the right password' })).status, 201);
          await race(100, (i) => fetch(`${urls[i % 2]}/auth/login`, {
            method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': `203.0.113.${i + 1}` },
            body: JSON.stringify({ email, password: 'a wrong password' }),
          }));
        } finally {
          await second?.close();
        }
      });
    }
  });
}

describe('auth attacks: without auth.login_attempts (pglite)', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi('pglite', {
      fixtures: ['auth.sql', 'no-login-attempts.sql'],
      options: { 'jwt-secret': secret, 'auth-signing-alg': 'HS256', 'auth-trust-proxy': 'true', 'auth-rate-limit-account': String(allowance), 'auth-rate-limit-ip': '1000' },
    });
  });
  after(async () => { await api?.close(); });

  it('still checks at most the allowance of a hundred concurrent guesses (counted in this instance)', async () => {
    const post = (body: unknown, i: number) => api.fetch('/auth/login', {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': `192.0.2.${i + 1}` }, body: JSON.stringify(body),
    });
    await race(100, (i) => post({ email: 'x@example.com', password: 'a wrong password' }, i));
  });
});

describe('the in-memory account gate', () => {
  it('reserves before checking, waits out the backoff on its clock, and forgets on success', async () => {
    let t = 0;
    const l = new RateLimiter({ perIp: 1000, perAccount: 3, now: () => t });
    const waits = await Promise.all(Array.from({ length: 100 }, () => l.reserve('a')));
    assert.equal(waits.filter((w) => w === 0).length, 3);
    assert.ok(waits.slice(3).every((w) => w === 1));
    t += 1000;
    assert.equal(await l.reserve('a'), 0); // the window passed: this attempt is checked
    assert.equal(await l.reserve('a'), 2); // and, wrong again, doubles the wait
    await l.succeeded('a');
    assert.deepEqual(await Promise.all([l.reserve('a'), l.reserve('a'), l.reserve('a'), l.reserve('a')]), [0, 0, 0, 1]);
  });

  it('backs off 1 s, 2 s, 4 s … from the allowance on, up to the longest backoff', () => {
    const o = { allowance: 5, maxBackoffMs: 900_000 };
    assert.deepEqual([4, 5, 6, 7, 15, 100, 10_000].map((n) => backoffMs(n, o)), [0, 1000, 2000, 4000, 900_000, 900_000, 900_000]);
  });
});
