// Pure tests of the write and RPC planners and compilers over a hand-built schema cache: the exact
// SQL and parameters of a few plans, PUT's rules, the #4352 guard, overload resolution and tx ends.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../src/errors/api-error.js';
import { parseRequest } from '../../src/request/parse-request.js';
import { planWrite } from '../../src/plan/write.js';
import { planCall } from '../../src/plan/rpc.js';
import { resolveFunction } from '../../src/plan/rpc-resolve.js';
import { txEnd } from '../../src/plan/write-tx.js';
import { checkWriteRestrictions } from '../../src/plan/write-checks.js';
import { writeStatement } from '../../src/sql/write.js';
import { callStatements } from '../../src/sql/rpc.js';
import { render } from '../../src/sql/sql.js';
import { tableKey, type Column, type Func, type FunctionArg, type SchemaCache, type Table } from '../../src/schema-cache/types.js';

const col = (name: string, baseType = 'text'): Column => ({
  name, type: baseType, baseType, category: 'S', nullable: true, default: null, generated: false,
  maxLength: null, enumValues: null, comment: null, position: 0,
});
const table = (name: string, columns: Column[], primaryKey: string[]): Table => ({
  schema: 'api', name, kind: 'table', comment: null, insertable: true, updatable: true, deletable: true,
  columns, columnsByName: new Map(columns.map((c) => [c.name, c])), primaryKey, privileges: new Map(), rlsEnabled: false,
});
const arg = (name: string, typeName: string, over: Partial<FunctionArg> = {}): FunctionArg => ({
  name, type: typeName, baseType: typeName, typeSchema: 'pg_catalog', typeName, hasDefault: false, variadic: false, ...over,
});
const fn = (name: string, args: FunctionArg[], over: Partial<Func> = {}): Func => ({
  schema: 'api', name, oid: 1, args, returnType: 'integer', returnsRelation: null, returnsSet: false,
  returnsComposite: false, returnsScalar: true, returnsVoid: false, volatility: 'i', rows: 1000,
  comment: null, settings: [], executableBy: new Set(), ...over,
});

const items = table('items', [col('id', 'int4'), col('name'), col('note')], ['id']);
const cache: SchemaCache = {
  schemas: ['api'],
  tables: new Map([[tableKey('api', 'items'), items]]),
  functions: new Map([
    [tableKey('api', 'add'), [fn('add', [arg('a', 'int4'), arg('b', 'int4', { hasDefault: true })])]],
    [tableKey('api', 'pick'), [fn('pick', [arg('a', 'int4')]), fn('pick', [arg('b', 'int4')])]],
    [tableKey('api', 'clash'), [fn('clash', [arg('x', 'int4')]), fn('clash', [arg('x', 'text')])]],
    [tableKey('api', 'raw'), [fn('raw', [arg('', 'jsonb')])]],
    [tableKey('api', 'total'), [fn('total', [arg('v', '_int4', { variadic: true })], { settings: [['statement_timeout', '5s'], ['search_path', 'x']] })]],
  ]),
  foreignKeys: [], viewColumnSources: [], roles: new Map(), timezones: new Set(), serverVersion: 170000, loadedAt: new Date(0),
  relationships: new Map(),
} as unknown as SchemaCache;

const request = (method: string, url: string, body: string | null = null, headers: Record<string, string> = {}) =>
  parseRequest({ method, url, headers: { 'content-type': 'application/json', ...headers }, body: body === null ? null : Buffer.from(body) }, { schemas: ['api'] });
const writeSql = (method: string, url: string, body: string | null = null, headers: Record<string, string> = {}) =>
  render(writeStatement(planWrite(request(method, url, body, headers), cache, { aggregatesEnabled: false })));
const tail = `SELECT (SELECT pg_catalog.count(*) FROM pgrst_mutation) AS affected, pg_catalog.count(_postgrest_t) AS page_total, NULL::text AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, NULL::bigint AS inserted FROM (SELECT * FROM pgrst_source) _postgrest_t`;
const apiError = (code: string) => (e: unknown) => e instanceof ApiError && e.code === code;

describe('write SQL', () => {
  it('POST return=minimal: RETURNING 1, the body as one parameter', () => {
    const r = writeSql('POST', '/items', '[{"id":1,"name":"a"}]');
    assert.equal(r.text, 'WITH pgrst_payload AS (SELECT $1::json AS v), '
      + 'pgrst_w1 AS (INSERT INTO "api"."items" AS "items" ("id", "name") SELECT pgrst_new."id", pgrst_new."name" FROM json_populate_recordset(NULL::"api"."items", (SELECT v FROM pgrst_payload)) AS pgrst_new RETURNING 1 AS pgrst_one), '
      + 'pgrst_mutation AS (SELECT * FROM pgrst_w1), pgrst_source AS (SELECT * FROM pgrst_mutation) ' + tail);
    assert.deepEqual(r.values, ['[{"id":1,"name":"a"}]']);
  });

  it('POST merge-duplicates with on_conflict tells inserted rows from updated ones', () => {
    const r = writeSql('POST', '/items?on_conflict=name', '{"name":"a","note":"n"}', { prefer: 'resolution=merge-duplicates' });
    assert.match(r.text, /INSERT INTO "api"\."items" AS "items" \("name", "note"\) SELECT pgrst_new\."name", pgrst_new\."note" FROM json_populate_recordset\(NULL::"api"\."items", \(SELECT v FROM pgrst_payload\)\) AS pgrst_new ON CONFLICT \("name"\) DO UPDATE SET "name" = EXCLUDED\."name", "note" = EXCLUDED\."note" RETURNING "items" AS pgrst_row, \("items"\.xmax = 0\) AS pgrst_inserted\)/);
    assert.match(r.text, /pgrst_mutation AS \(SELECT \(pgrst_row\)\.\* FROM \(SELECT \* FROM pgrst_w1\) pgrst_w\)/);
    assert.match(r.text, /\(SELECT pg_catalog\.count\(\*\) FROM \(SELECT \* FROM pgrst_w1\) pgrst_w WHERE pgrst_inserted\) AS inserted/);
  });

  it('missing=default: one INSERT, absent keys take the column default per row, others NULL', () => {
    const withDefault = { ...items, columns: items.columns.map((c) => (c.name === 'note' ? { ...c, default: "'n/a'::text" } : c)),
      columnsByName: new Map(items.columns.map((c) => [c.name, c.name === 'note' ? { ...c, default: "'n/a'::text" } : c])) };
    const local = { ...cache, tables: new Map([[tableKey('api', 'items'), withDefault]]) } as SchemaCache;
    const r = render(writeStatement(planWrite(request('POST', '/items?columns=id,note,name', '[{"id":1},{"id":2,"note":"x"}]', { prefer: 'missing=default' }), local, { aggregatesEnabled: false })));
    assert.match(r.text, /pgrst_w1 AS \(INSERT INTO "api"\."items" AS "items" \("id", "note", "name"\) SELECT pgrst_new\."id", CASE WHEN pgrst_e\.v -> \$2::text IS NULL THEN \('n\/a'::text\) ELSE pgrst_new\."note" END, pgrst_new\."name" FROM json_array_elements\(\(SELECT v FROM pgrst_payload\)\) AS pgrst_e\(v\), json_populate_record\(NULL::"api"\."items", pgrst_e\.v\) AS pgrst_new RETURNING 1 AS pgrst_one\)/);
    assert.match(r.text, /pgrst_mutation AS \(SELECT \* FROM pgrst_w1\)/);
    assert.deepEqual(r.values, ['[{"id":1},{"id":2,"note":"x"}]', 'note']);
  });

  it('PATCH: SET from the body row, filters as parameters, representation over the RETURNING columns it reads', () => {
    const r = writeSql('PATCH', '/items?id=gt.5&select=name', '{"note":"n"}', { prefer: 'return=representation' });
    assert.equal(r.text, 'WITH pgrst_payload AS (SELECT $1::json AS v), '
      + 'pgrst_w1 AS (UPDATE "api"."items" AS "items" SET "note" = pgrst_new."note" FROM (SELECT * FROM json_populate_recordset(NULL::"api"."items", (SELECT v FROM pgrst_payload)) LIMIT 1) AS pgrst_new WHERE ("items"."id" > $2) RETURNING "items"."name"), '
      + 'pgrst_mutation AS (SELECT * FROM pgrst_w1), pgrst_source AS (SELECT "items"."name" FROM "pgrst_mutation" AS "items") '
      + tail.replace('NULL::text AS body', "coalesce(json_agg(_postgrest_t), '[]')::text AS body"));
    assert.deepEqual(r.values, ['[{"note":"n"}]', '5']);
  });

  it('DELETE: no body; headers-only is ignored outside POST', () => {
    const r = writeSql('DELETE', '/items?name=eq.x', null, { prefer: 'return=headers-only' });
    assert.equal(r.text, 'WITH pgrst_w1 AS (DELETE FROM "api"."items" AS "items" WHERE ("items"."name" = $1) RETURNING 1 AS pgrst_one), pgrst_mutation AS (SELECT * FROM pgrst_w1), pgrst_source AS (SELECT * FROM pgrst_mutation) ' + tail);
    assert.deepEqual(r.values, ['x']);
  });

  it('POST return=headers-only returns the primary key for Location', () => {
    const r = writeSql('POST', '/items', '{"id":3}', { prefer: 'return=headers-only' });
    assert.match(r.text, /RETURNING "items"\."id"\)/);
    assert.match(r.text, /pgrst_source AS \(SELECT "id" FROM pgrst_mutation\)/);
    assert.match(r.text, /\(json_agg\(_postgrest_t\)->0\)::text AS body/);
  });

  it('PUT upserts on the primary key', () => {
    const r = writeSql('PUT', '/items?id=eq.3', '{"id":3,"name":"n"}');
    assert.match(r.text, /ON CONFLICT \("id"\) DO UPDATE SET "id" = EXCLUDED\."id", "name" = EXCLUDED\."name" RETURNING "items" AS pgrst_row/);
  });
});

describe('write rules', () => {
  const plan = (method: string, url: string, body: string | null = '{"id":1}', headers: Record<string, string> = {}) =>
    () => planWrite(request(method, url, body, headers), cache, { aggregatesEnabled: false });
  it('PUT: PGRST105 for other filters, PGRST114 for limit, PGRST115 for a mismatched body', () => {
    assert.throws(plan('PUT', '/items?id=gt.1'), apiError('PGRST105'));
    assert.throws(plan('PUT', '/items'), apiError('PGRST105'));
    assert.throws(plan('PUT', '/items?id=eq.1&name=eq.x'), apiError('PGRST105'));
    assert.throws(plan('PUT', '/items?id=eq.1&id=eq.1'), apiError('PGRST105'));
    assert.throws(plan('PUT', '/items?id=eq.1&limit=1'), apiError('PGRST114'));
    assert.throws(plan('PUT', '/items?id=eq.2'), apiError('PGRST115'));
    assert.throws(plan('PUT', '/items?id=eq.1', '{"id":"1x"}'), apiError('PGRST115'));
    assert.doesNotThrow(plan('PUT', '/items?id=eq.1', '{"id":"1"}'));
  });
  it('PATCH/DELETE: embed null tests, !inner and limit are refused (PostgREST #4352); embedded filters shape the representation', () => {
    assert.doesNotThrow(() => checkWriteRestrictions(request('DELETE', '/items?select=*,rel(*)&rel.x=eq.1')));
    assert.throws(() => checkWriteRestrictions(request('DELETE', '/items?limit=1')), apiError('PGRST127'));
    assert.throws(plan('PATCH', '/items?select=*,rel(*)&rel=not.is.null'), apiError('PGRST127'));
    assert.throws(plan('PATCH', '/items?select=*,r:rel(*)&or=(r.is.null,id.eq.1)'), apiError('PGRST127'));
    assert.throws(plan('DELETE', '/items?select=id,rel!inner(*)', null), apiError('PGRST127'));
  });
  it('unknown columns: PGRST204', () => {
    assert.throws(plan('POST', '/items', '{"nope":1}'), apiError('PGRST204'));
    assert.throws(plan('POST', '/items?columns=id,nope'), apiError('PGRST204'));
  });
});

describe('RPC', () => {
  const call = (method: string, url: string, body: string | null = null, headers: Record<string, string> = {}) =>
    planCall(request(method, url, body, headers), cache, { maxRows: null, aggregatesEnabled: false, hoistedSettings: ['statement_timeout'] });

  it('GET: query arguments cast to their types; other parameters filter', () => {
    const { main, before } = callStatements(call('GET', '/rpc/add?a=1&add=gt.0'));
    const r = render(main);
    assert.equal(r.text, 'WITH pgrst_source AS (SELECT "add".* FROM "api"."add"("a" := $1::"pg_catalog"."int4") AS "add"("add") WHERE ("add"."add" > $2)) '
      + "SELECT NULL::bigint AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, coalesce((json_agg(_postgrest_t.\"add\")->0)::text, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status FROM (SELECT * FROM pgrst_source) _postgrest_t");
    assert.deepEqual(r.values, ['1', '0']);
    assert.deepEqual(before, []);
  });

  it('POST: JSON arguments parsed once into pgrst_args', () => {
    const r = render(callStatements(call('POST', '/rpc/add', '{"a":1,"b":2}')).main);
    assert.match(r.text, /^WITH pgrst_args AS \(SELECT \* FROM json_to_record\(\$1::json\) AS pgrst_args\("a" "pg_catalog"\."int4", "b" "pg_catalog"\."int4"\)\), pgrst_source AS \(SELECT "add"\.\* FROM "api"\."add"\("a" := \(SELECT pgrst_args\."a" FROM pgrst_args\), "b" := \(SELECT pgrst_args\."b" FROM pgrst_args\)\) AS "add"\("add"\)\)/);
    assert.deepEqual(r.values, ['{"a":1,"b":2}']);
  });

  it('variadic, a single unnamed parameter, hoisted settings', () => {
    const v = callStatements(call('GET', '/rpc/total?v=1&v=2'));
    assert.match(render(v.main).text, /"api"\."total"\(VARIADIC "v" := \$1::"pg_catalog"\."_int4"\)/);
    assert.deepEqual(render(v.main).values, ['{"1","2"}']);
    assert.equal(v.before.length, 1);
    assert.deepEqual(render(v.before[0]!), { text: 'SELECT set_config($1, $2, true)', values: ['statement_timeout', '5s'] });
    const raw = render(callStatements(call('POST', '/rpc/raw', '[1,2]')).main);
    assert.match(raw.text, /"api"\."raw"\(\$1::"pg_catalog"\."jsonb"\)/);
    assert.deepEqual(raw.values, ['[1,2]']);
  });

  it('resolution: by argument names; ambiguity is PGRST203, no match PGRST202; verbs PGRST101', () => {
    assert.equal(resolveFunction(cache, 'api', 'pick', { keys: ['b'], media: 'json' }).fn.args[0]?.name, 'b');
    assert.equal(resolveFunction(cache, 'api', 'add', { keys: ['a'], media: 'json' }).fn.name, 'add');
    assert.throws(() => resolveFunction(cache, 'api', 'add', { keys: ['b'], media: 'json' }), apiError('PGRST202'));
    assert.throws(() => resolveFunction(cache, 'api', 'clash', { keys: ['x'], media: 'json' }), apiError('PGRST203'));
    assert.equal(resolveFunction(cache, 'api', 'raw', { keys: ['k'], media: 'json' }).singleUnnamed, true);
    assert.throws(() => resolveFunction(cache, 'api', 'raw', { keys: [], media: 'text' }), apiError('PGRST202'));
    assert.throws(() => call('PATCH', '/rpc/add'), apiError('PGRST101'));
  });
});

describe('tx end (db-tx-end and Prefer: tx=)', () => {
  it('overrides only where the setting allows it', () => {
    assert.deepEqual(txEnd('commit', { tx: 'rollback' }), { end: 'commit', applied: null });
    assert.deepEqual(txEnd('rollback', { tx: 'commit' }), { end: 'rollback', applied: null });
    assert.deepEqual(txEnd('commit-allow-override', { tx: 'rollback' }), { end: 'rollback', applied: 'rollback' });
    assert.deepEqual(txEnd('commit-allow-override', { tx: null }), { end: 'commit', applied: null });
    assert.deepEqual(txEnd('rollback-allow-override', { tx: 'commit' }), { end: 'commit', applied: 'commit' });
    assert.deepEqual(txEnd('rollback-allow-override', { tx: null }), { end: 'rollback', applied: null });
  });
});
