// Pure tests of the RPC planner and compiler over a hand-built schema cache: PostgREST's split of
// query parameters into arguments and filters, and the exact SQL of bulk calls, first-object calls
// and `record` functions (called in a select list). test/api/compat-rpc.test.ts runs them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseRequest } from '../../src/request/parse-request.js';
import { hasOperator, planCall } from '../../src/plan/rpc.js';
import { callStatements } from '../../src/sql/rpc.js';
import { render } from '../../src/sql/sql.js';
import { tableKey, type Func, type FunctionArg, type SchemaCache } from '../../src/schema-cache/types.js';

const arg = (name: string): FunctionArg => ({ name, type: 'integer', baseType: 'int4', typeSchema: 'pg_catalog', typeName: 'int4', hasDefault: false, variadic: false });
const fn = (name: string, args: FunctionArg[], over: Partial<Func> = {}): Func => ({
  schema: 'api', name, oid: 1, args, returnType: 'integer', returnsRelation: null, returnsSet: false,
  returnsComposite: false, returnsScalar: true, returnsVoid: false, volatility: 'v', rows: 1000,
  comment: null, settings: [], executableBy: new Set(), ...over,
});
const cache = {
  schemas: ['api'],
  tables: new Map(),
  functions: new Map([
    [tableKey('api', 'add'), [fn('add', [arg('a'), arg('b')])]],
    [tableKey('api', 'rec'), [fn('rec', [], { returnType: 'record', returnsSet: true })]],
  ]),
  foreignKeys: [], viewColumnSources: [], roles: new Map(), timezones: new Set(), serverVersion: 170000, loadedAt: new Date(0),
  relationships: new Map(),
} as unknown as SchemaCache;

const call = (method: string, url: string, body: string | null = null) => planCall(
  parseRequest({ method, url, headers: { 'content-type': 'application/json' }, body: body === null ? null : Buffer.from(body) }, { schemas: ['api'] }),
  cache, { maxRows: null, aggregatesEnabled: false, hoistedSettings: [] },
);
const tail = `nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status FROM (SELECT * FROM pgrst_source) _postgrest_t`;

describe('RPC plans as PostgREST', () => {
  it('a query parameter naming no operator is an argument, one with an operator a filter', () => {
    for (const v of ['5', 'x.y', 'isnt', 'eqq', 'not', '(1,2)']) assert.equal(hasOperator(v), false, v);
    for (const v of ['gt.2', 'not.in.(1,3)', 'is.null', 'in.(1)', 'fts(english).cat', 'plfts.x', 'eq(any).{1,2}', 'not.eq.1']) assert.equal(hasOperator(v), true, v);
    const plan = call('GET', '/rpc/add?a=1&b=2&a=gt.0');
    assert.deepEqual(plan.args.map((a) => [a.name, a.value]), [['a', { kind: 'text', text: '1' }], ['b', { kind: 'text', text: '2' }]]);
    assert.equal(plan.readOnly, true); // VOLATILE, but called with GET
    assert.equal(call('POST', '/rpc/add', '{"a":1,"b":2}').readOnly, false);
  });

  it('bulk: one call per element of the array, in order, laterally joined', () => {
    const plan = call('POST', '/rpc/add?columns=a,b', '[{"a":1,"b":2},{"a":3,"b":4}]');
    assert.equal(plan.argsShape, 'bulk');
    assert.equal(plan.result, 'scalar-set');
    const r = render(callStatements(plan).main);
    assert.equal(r.text, 'WITH pgrst_args AS (SELECT pgrst_e.pgrst_ord, pgrst_r.* FROM json_array_elements($1::json) WITH ORDINALITY AS pgrst_e(v, pgrst_ord), '
      + 'LATERAL json_to_record(pgrst_e.v) AS pgrst_r("a" "pg_catalog"."int4", "b" "pg_catalog"."int4")), '
      + 'pgrst_call AS (SELECT "add".* FROM pgrst_args, LATERAL (SELECT "api"."add"("a" := pgrst_args."a", "b" := pgrst_args."b") AS "add") AS "add" ORDER BY pgrst_args.pgrst_ord), '
      + 'pgrst_source AS (SELECT "add".* FROM "pgrst_call" AS "add") '
      + `SELECT NULL::bigint AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, coalesce(json_agg(_postgrest_t."add"), '[]')::text AS body, ${tail}`);
    assert.deepEqual(r.values, ['[{"a":1,"b":2},{"a":3,"b":4}]']);
  });

  it('an array without ?columns= calls once with its first object', () => {
    const plan = call('POST', '/rpc/add', '[{"a":1,"b":2},{"a":3,"b":4}]');
    assert.equal(plan.argsShape, 'first');
    assert.match(render(callStatements(plan).main).text, /^WITH pgrst_args AS \(SELECT \* FROM json_to_record\(\(\$1::json\)->0\) AS pgrst_args\("a" "pg_catalog"\."int4", "b" "pg_catalog"\."int4"\)\), pgrst_source AS \(SELECT "add"\.\* FROM "api"\."add"\(/);
  });

  it('a bare record is called in a select list (no column definition list needed)', () => {
    const r = render(callStatements(call('GET', '/rpc/rec')).main);
    assert.equal(r.text, 'WITH pgrst_call AS (SELECT "rec".* FROM (SELECT "api"."rec"() AS "rec") AS "rec"), pgrst_source AS (SELECT "rec".* FROM "pgrst_call" AS "rec") '
      + `SELECT NULL::bigint AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, coalesce(json_agg(_postgrest_t."rec"), '[]')::text AS body, ${tail}`);
  });
});
