// Pure parts of the admin UI's server, without a database: CSV, statement splitting, the data
// grid's and the policies' SQL (exact text and parameters, and hostile names), run-as settings,
// sessions and the proxy-aware origin.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { csvLine, parseCsv } from '../../src/admin/csv.js';
import { leavesTransactionOpen, splitStatements } from '../../src/admin/sql-split.js';
import { rowChange, selectPage, insertMany, type GridTable } from '../../src/admin/grid-sql.js';
import { policyChange } from '../../src/admin/policy-sql.js';
import { jwtClaims, roleClaim, runAsSettings } from '../../src/admin/run-as.js';
import { Sessions, LoginLimiter, csrfMatches } from '../../src/admin/auth/sessions.js';
import { hashPassword, verifyPassword } from '../../src/admin/auth/password.js';
import { publicOrigin, sameOrigin } from '../../src/admin/auth/proxy.js';
import { render } from '../../src/sql/sql.js';
import { loadConfig } from '../../src/config/config.js';

describe('csv', () => {
  it('round-trips NULL, empty strings, quotes, commas and newlines', () => {
    const rows = [['a', 'b'], ['1', null], ['', 'x,"y"\nz'], [' padded ', 'ok']];
    const text = rows.map(csvLine).join('');
    assert.equal(text, 'a,b\r\n1,\r\n"","x,""y""\nz"\r\n" padded ",ok\r\n');
    assert.deepEqual(parseCsv(text), rows);
  });
  it('accepts LF line ends, a BOM and a trailing empty field; rejects broken quotes', () => {
    assert.deepEqual(parseCsv('\ufeffa,b\n1,\n'), [['a', 'b'], ['1', null]]);
    assert.throws(() => parseCsv('"open'), /unterminated/);
    assert.throws(() => parseCsv('"a"b'), /unexpected character/);
  });
});

describe('splitStatements', () => {
  it('splits on semicolons outside quotes, dollar quotes and comments, with offsets', () => {
    const script = "select ';' as a; -- c;\nselect $f$ ; $f$, \"x;y\", E'\\';'; /* a; /* b; */ */ select 3;\n;";
    const parts = splitStatements(script);
    assert.deepEqual(parts.map((p) => p.text), ["select ';' as a", "-- c;\nselect $f$ ; $f$, \"x;y\", E'\\';'", '/* a; /* b; */ */ select 3']);
    for (const p of parts) assert.equal(script.slice(p.offset, p.offset + p.text.length), p.text);
  });
  it('knows whether a script leaves a transaction open', () => {
    assert.equal(leavesTransactionOpen(splitStatements('begin; select 1')), true);
    assert.equal(leavesTransactionOpen(splitStatements('begin; select 1; commit')), false);
    assert.equal(leavesTransactionOpen(splitStatements('begin; savepoint a; rollback to a')), true);
  });
});

const t: GridTable = { schema: 'api', name: 'to"dos', columns: ['id', 'title'], primaryKey: ['id'] };

describe('grid SQL', () => {
  it('builds a page with parameters and quoted names', () => {
    const q = render(selectPage(t, { limit: 10, offset: 20, sort: [{ column: 'title', dir: 'desc' }], filters: [{ column: 'title', op: 'ilike', value: '%a%' }, { column: 'id', op: 'notnull' }] }));
    assert.equal(q.text, 'SELECT "id"::text AS "id", "title"::text AS "title" FROM "api"."to""dos" WHERE "title"::text ILIKE $1 AND "id" IS NOT NULL ORDER BY "title" DESC LIMIT $2 OFFSET $3');
    assert.deepEqual(q.values, ['%a%', '10', '20']);
  });
  it('orders by the primary key by default and refuses unknown columns and operators', () => {
    assert.match(render(selectPage(t, { limit: 1, offset: 0, sort: [], filters: [] })).text, /ORDER BY "id" ASC/);
    assert.throws(() => selectPage(t, { limit: 1, offset: 0, sort: [{ column: 'x" OR 1=1 --', dir: 'asc' }], filters: [] }), /does not exist/);
    assert.throws(() => selectPage(t, { limit: 1, offset: 0, sort: [], filters: [{ column: 'id', op: 'drop' as 'eq' }] }), /unknown filter operator/);
  });
  it('builds one-row changes keyed by the primary key', () => {
    const u = render(rowChange(t, { op: 'update', key: { id: '7' }, values: { title: "it's" } }));
    assert.equal(u.text, 'UPDATE "api"."to""dos" SET "title" = $1 WHERE "id" = $2 RETURNING "id"::text AS "id", "title"::text AS "title"');
    assert.deepEqual(u.values, ["it's", '7']);
    assert.equal(render(rowChange(t, { op: 'insert', values: {} })).text.startsWith('INSERT INTO "api"."to""dos" DEFAULT VALUES'), true);
    assert.throws(() => rowChange({ ...t, primaryKey: [] }, { op: 'delete', key: {} }), /no primary key/);
    assert.throws(() => rowChange(t, { op: 'delete', key: {} }), /needs a value/);
    assert.deepEqual(render(insertMany(t, ['id', 'title'], [['1', null], ['2', 'b']])).values, ['1', null, '2', 'b']);
  });
});

describe('policy SQL', () => {
  const policy = { schema: 'api', table: 'todos', name: 'own "rows"', command: 'UPDATE' as const, permissive: false, roles: ['api_user', 'public'], using: 'owner = current_user', check: 'true' };
  it('creates, replaces, drops and switches RLS', () => {
    assert.deepEqual(policyChange({ action: 'create', policy }).map((s) => render(s).text), [
      'CREATE POLICY "own ""rows""" ON "api"."todos" AS RESTRICTIVE FOR UPDATE TO "api_user", PUBLIC USING (owner = current_user) WITH CHECK (true)',
    ]);
    assert.deepEqual(policyChange({ action: 'replace', oldName: 'old', policy: { ...policy, roles: [] } }).map((s) => render(s).text), [
      'DROP POLICY "old" ON "api"."todos"',
      'CREATE POLICY "own ""rows""" ON "api"."todos" AS RESTRICTIVE FOR UPDATE TO PUBLIC USING (owner = current_user) WITH CHECK (true)',
    ]);
    assert.deepEqual(policyChange({ action: 'rls', schema: 'api', table: 'todos', enable: true, force: false }).map((s) => render(s).text), [
      'ALTER TABLE "api"."todos" ENABLE ROW LEVEL SECURITY', 'ALTER TABLE "api"."todos" NO FORCE ROW LEVEL SECURITY',
    ]);
  });
  it('refuses clauses a command does not take', () => {
    assert.throws(() => policyChange({ action: 'create', policy: { ...policy, command: 'INSERT' } }), /only WITH CHECK/);
    assert.throws(() => policyChange({ action: 'create', policy: { ...policy, command: 'SELECT' } }), /only USING/);
  });
});

describe('run as', () => {
  const config = loadConfig({ flags: { 'jwt-role-claim-key': '.app.role' } });
  it('reads claims and the role claim at jwt-role-claim-key', () => {
    const token = `x.${Buffer.from(JSON.stringify({ app: { role: 'api_user' }, sub: '1' })).toString('base64url')}.y`;
    assert.equal(roleClaim(jwtClaims(token), '.app.role'), 'api_user');
    assert.deepEqual(runAsSettings({ jwt: token }, config), [['role', 'api_user'], ['request.jwt.claims', '{"app":{"role":"api_user"},"sub":"1"}']]);
    assert.deepEqual(runAsSettings({ role: 'api_anon' }, config), [['role', 'api_anon'], ['request.jwt.claims', '{"role":"api_anon"}']]);
    assert.deepEqual(runAsSettings(undefined, config), []);
    assert.throws(() => jwtClaims('not-a-jwt'), /JSON object payload/);
  });
});

describe('sessions and passwords', () => {
  it('hashes passwords with scrypt', async () => {
    const h = await hashPassword('s3cret');
    assert.match(h, /^scrypt\$/);
    assert.equal(await verifyPassword('s3cret', h), true);
    assert.equal(await verifyPassword('other', h), false);
  });
  it('expires idle sessions and checks CSRF tokens', () => {
    let now = 0;
    const s = new Sessions(1000, () => now);
    const { token, session } = s.create({ id: 'u1', email: 'ada@example.com', role: 'owner' });
    assert.equal(s.get(token), session);
    assert.equal(csrfMatches(session, session.csrf), true);
    assert.equal(csrfMatches(session, 'x'), false);
    now = 2000;
    assert.equal(s.get(token), null);
  });
  it('limits failed sign-ins per address', () => {
    const l = new LoginLimiter(2, 1000, () => 0);
    l.fail('a'); l.fail('a');
    assert.equal(l.blocked('a'), true);
    assert.equal(l.blocked('b'), false);
  });
  it('takes the public origin from X-Forwarded-* headers', () => {
    const req = { headers: { host: 'pesquel:3002', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'admin.example.test', origin: 'https://admin.example.test' }, socket: {} } as unknown as IncomingMessage;
    assert.equal(publicOrigin(req).origin, 'https://admin.example.test');
    assert.equal(sameOrigin(req), true);
    assert.equal(sameOrigin({ ...req, headers: { ...req.headers, origin: 'https://evil.test' } } as unknown as IncomingMessage), false);
  });
});
