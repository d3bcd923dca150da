// Pure and small-database tests of the auth service's parts: rate limits with backoff, password
// hashing (argon2id, bcrypt upgrade, equal cost for unknown users), signing-key rotation, the
// start-time safety report, the db-pre-request call and the client address.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import bcrypt from 'bcryptjs';
import { decodeProtectedHeader, jwtVerify, createLocalJWKSet } from 'jose';
import { addressAttemptsTable, DbAddressGate, RateLimiter } from '../../src/auth/service/rate-limit.js';
import { until } from '../helpers/until.js';
import { hashPassword, verifyDummy, verifyPassword } from '../../src/auth/service/passwords.js';
import { StoredKeys } from '../../src/auth/service/signing-keys.js';
import { checkSafety, requestRoles } from '../../src/auth/safety.js';
import { preRequestStatement } from '../../src/auth/pre-request.js';
import { clientAddress } from '../../src/auth/service/client-address.js';
import { PgliteDb } from '../../src/db/pglite.js';
import { loadConfig } from '../../src/config/config.js';
import { renderInline } from '../../src/sql/sql.js';
import type { RoleFacts } from '../../src/auth/role-guard.js';
import type { SchemaCache, Table } from '../../src/schema-cache/types.js';

describe('rate limiter', () => {
  it('limits attempts per address per window', () => {
    let t = 0;
    const l = new RateLimiter({ perIp: 3, perAccount: 5, now: () => t });
    assert.deepEqual([l.hitIp('a'), l.hitIp('a'), l.hitIp('a')], [0, 0, 0]);
    assert.equal(l.hitIp('a'), 60);
    assert.equal(l.hitIp('b'), 0);
    t = 45_000;
    assert.equal(l.hitIp('a'), 15);
    t = 60_000;
    assert.equal(l.hitIp('a'), 0);
  });

  it('backs off an account exponentially after the allowed failures, and forgets on success', () => {
    let t = 0;
    const l = new RateLimiter({ perIp: 100, perAccount: 2, maxBackoffMs: 8_000, now: () => t });
    l.failure('x');
    assert.equal(l.accountWait('x'), 0);
    l.failure('x');
    assert.equal(l.accountWait('x'), 1);
    t = 1_000;
    assert.equal(l.accountWait('x'), 0);
    l.failure('x');
    assert.equal(l.accountWait('x'), 2);
    l.failure('x');
    l.failure('x');
    assert.equal(l.accountWait('x'), 8, 'capped');
    l.success('x');
    assert.equal(l.accountWait('x'), 0);
  });
});

describe('passwords', () => {
  it('hashes with argon2id and verifies', async () => {
    const h = await hashPassword('p4ssword!');
    assert.match(h, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.deepEqual(await verifyPassword(h, 'p4ssword!'), { ok: true, rehash: false });
    assert.deepEqual(await verifyPassword(h, 'wrong'), { ok: false, rehash: false });
  });
  it('verifies hashes stored by the former argon2 library (parameters in another order); weaker ones ask for a rehash', async () => {
    const former = '$argon2id$v=19$m=19456,p=1,t=2$Q2PCdSVjRA4lZCO7caoWLg$n0rX8I8+s/Y2s8VxcOLOBnWXgo5myYgW3YAdwSXrKRo';
    assert.deepEqual(await verifyPassword(former, 'pw'), { ok: true, rehash: false });
    const weaker = await import('@node-rs/argon2').then((a) => a.hash('pw', { algorithm: 2, memoryCost: 8192, timeCost: 1, parallelism: 1 }));
    assert.deepEqual(await verifyPassword(weaker, 'pw'), { ok: true, rehash: true });
  });
  it('verifies bcrypt and asks for an upgrade; refuses unknown hash formats', async () => {
    const h = bcrypt.hashSync('legacy', 4);
    assert.deepEqual(await verifyPassword(h, 'legacy'), { ok: true, rehash: true });
    assert.equal((await verifyPassword(h, 'nope')).ok, false);
    assert.equal((await verifyPassword('plain-text', 'plain-text')).ok, false);
  });
  it('spends about as long on an unknown user as on a wrong password', async () => {
    const h = await hashPassword('p4ssword!');
    await verifyDummy('warm-up');
    const time = async (fn: () => Promise<unknown>) => {
      const t0 = performance.now();
      for (let i = 0; i < 5; i++) await fn();
      return performance.now() - t0;
    };
    const wrong = await time(() => verifyPassword(h, 'wrong'));
    const unknown = await time(() => verifyDummy('wrong'));
    const ratio = wrong / unknown;
    assert.ok(ratio > 0.4 && ratio < 2.5, `wrong ${wrong.toFixed(0)} ms vs unknown ${unknown.toFixed(0)} ms`);
  });
});

describe('signing keys', () => {
  let db: PgliteDb;
  before(async () => {
    db = await PgliteDb.open(null);
    await db.query('CREATE SCHEMA auth');
    await db.query('CREATE TABLE auth.signing_keys (kid text PRIMARY KEY, alg text NOT NULL, private_jwk text NOT NULL, public_jwk text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())');
  });
  after(async () => { await db?.close(); });

  it('creates a key on first use, rotates when it is due, and keeps publishing the old one', async () => {
    let t = Date.now();
    const keys = new StoredKeys(db, { alg: 'ES256', rotationMs: 60_000, accessLifetimeMs: 900_000, now: () => t });
    const first = await keys.sign({ sub: 'a' });
    const kid1 = decodeProtectedHeader(first).kid;
    assert.equal(decodeProtectedHeader(await keys.sign({ sub: 'b' })).kid, kid1, 'same key within the rotation period');
    t += 61_000;
    const second = await keys.sign({ sub: 'c' });
    const kid2 = decodeProtectedHeader(second).kid;
    assert.notEqual(kid2, kid1);
    const jwks = await keys.jwks();
    assert.deepEqual(jwks.keys.map((k) => k.kid).sort(), [kid1, kid2].sort());
    assert.ok(jwks.keys.every((k) => k.d === undefined && k.use === 'sig' && k.alg === 'ES256'));
    const set = createLocalJWKSet(jwks);
    await jwtVerify(first, set);
    await jwtVerify(second, set);
    // A second instance over the same database signs with the same current key.
    const other = new StoredKeys(db, { alg: 'ES256', rotationMs: 60_000, accessLifetimeMs: 900_000, now: () => t });
    assert.equal(decodeProtectedHeader(await other.sign({})).kid, kid2);
  });
});

describe('safety report', () => {
  const facts: Record<string, RoleFacts> = {
    api_anon: { superuser: false, bypassRls: false, member: true, self: false },
    api_user: { superuser: false, bypassRls: false, member: true, self: false },
    postgres: { superuser: true, bypassRls: true, member: false, self: false },
    api_bypass: { superuser: false, bypassRls: true, member: true, self: false },
  };
  const table = (name: string, rls: boolean, roles: string[]): Table => ({
    schema: 'api', name, kind: 'table', rlsEnabled: rls,
    privileges: new Map(roles.map((r) => [r, new Set(['SELECT'] as const)])),
  } as unknown as Table);
  const cache = { tables: new Map([['1', table('open', false, ['api_anon'])], ['2', table('safe', true, ['api_anon'])], ['3', table('hidden', false, [])]]) } as unknown as SchemaCache;

  it('is quiet for ordinary roles, warns about exposed tables without RLS', () => {
    const r = checkSafety(requestRoles(loadConfig({})), (n) => facts[n], cache, false);
    assert.deepEqual(r.errors, []);
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0] ?? '', /without row-level security.*api\.open \(api_anon\)/);
    assert.doesNotMatch(r.warnings[0] ?? '', /safe|hidden/);
  });
  it('refuses superuser and BYPASSRLS roles, naming the setting, unless allowed', () => {
    const config = loadConfig({ flags: { 'db-anon-role': 'postgres', 'auth-roles': 'api_user,api_bypass' } });
    const r = checkSafety(requestRoles(config), (n) => facts[n], cache, false);
    assert.equal(r.errors.length, 2);
    assert.match(r.errors[0] ?? '', /role "postgres" \(db-anon-role\) is a superuser/);
    assert.match(r.errors[1] ?? '', /role "api_bypass" \(auth-roles\) is a BYPASSRLS role/);
    assert.deepEqual(checkSafety(requestRoles(config), (n) => facts[n], cache, true).errors, []);
  });
  it('warns about roles that do not exist', () => {
    const r = checkSafety([{ name: 'ghost', setting: 'db-anon-role' }], (n) => facts[n], cache, false);
    assert.match(r.warnings[0] ?? '', /role "ghost" \(db-anon-role\) does not exist/);
  });
  it('warns once when the anonymous role may change data, naming the tables and verbs', () => {
    const writable = (name: string, privs: string[]) => ({ ...table(name, true, []), privileges: new Map([['api_anon', new Set(privs)], ['api_user', new Set(['INSERT'])]]) } as unknown as Table);
    const withWrites = { tables: new Map([['1', writable('todos', ['SELECT', 'INSERT', 'DELETE'])], ['2', writable('read_only', ['SELECT'])]]) } as unknown as SchemaCache;
    const r = checkSafety(requestRoles(loadConfig({})), (n) => facts[n], withWrites, false);
    assert.deepEqual(r.errors, []);
    const anon = r.warnings.filter((w) => /anonymous requests/.test(w));
    assert.equal(anon.length, 1);
    assert.match(anon[0] ?? '', /anonymous requests \(api_anon\) can change data in api\.todos \(INSERT, DELETE\): fine for development/);
    assert.doesNotMatch(anon[0] ?? '', /read_only/);
    assert.equal(checkSafety(requestRoles(loadConfig({ flags: { 'db-anon-role': '' } })), (n) => facts[n], withWrites, false).warnings.filter((w) => /anonymous/.test(w)).length, 0);
  });
});

describe('db-pre-request', () => {
  const cases: Array<[string, string]> = [
    ['check', 'SELECT "check"()'],
    ['api.check', 'SELECT "api"."check"()'],
    ['"my schema"."fn ""x"""', 'SELECT "my schema"."fn ""x"""()'],
  ];
  for (const [name, expected] of cases) it(`${name} → ${expected}`, () => assert.equal(renderInline(preRequestStatement(name)), expected));
  for (const bad of ['a.b.c', 'fn(); drop table x', '', 'a.']) it(`refuses ${JSON.stringify(bad)}`, () => assert.throws(() => preRequestStatement(bad)));
});

describe('client address', () => {
  it('uses the socket address, or the proxy-written X-Forwarded-For entry when trusted', () => {
    const h = { 'x-forwarded-for': '1.1.1.1, 10.0.0.7' };
    assert.equal(clientAddress(h, '127.0.0.1', false), '127.0.0.1');
    assert.equal(clientAddress(h, '127.0.0.1', true), '10.0.0.7');
    assert.equal(clientAddress({}, '127.0.0.1', true), '127.0.0.1');
    assert.equal(clientAddress({}, undefined, false), 'unknown');
  });
});

describe('the per-address limit in the database (DbAddressGate)', () => {
  let db: PgliteDb;
  before(async () => {
    db = await PgliteDb.open(null);
    await db.query('CREATE SCHEMA auth');
    await db.query('CREATE ROLE authenticator');
    const ddl = readFileSync(new URL('../../sql/internal/0004-address-attempts.sql', import.meta.url), 'utf8');
    await db.withConnection((c) => c.exec(ddl));
  });
  after(async () => { await db?.close(); });

  it('counts an address across gates (processes) over one database, per address, and starts a new window', async () => {
    // Two gates stand for two workers; the window is short so that the test can wait it out.
    const gates = [new DbAddressGate(db, { perIp: 3, windowMs: 1500 }), new DbAddressGate(db, { perIp: 3, windowMs: 1500 })];
    const waits = [];
    for (let i = 0; i < 5; i++) waits.push(await (gates[i % 2] as DbAddressGate).hit('198.51.100.7'));
    assert.deepEqual(waits.slice(0, 3), [0, 0, 0]);
    assert.ok(waits.slice(3).every((w) => w >= 1 && w <= 2), `waits ${waits}`);
    assert.equal(await (gates[1] as DbAddressGate).hit('198.51.100.8'), 0, 'another address has its own window');
    assert.equal(await addressAttemptsTable(db), true);
    await until('a new window', async () => ((await (gates[0] as DbAddressGate).hit('198.51.100.7')) === 0 ? true : undefined), 10_000, 200);
  });
});
