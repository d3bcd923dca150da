// Table-driven tests of the query-string grammar: valid inputs → AST, invalid → PGRST100 with details.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../src/errors/api-error.js';
import { parseSelect } from '../../src/request/parse-select.js';
import { parseOrder } from '../../src/request/parse-order.js';
import { parseQueryParams } from '../../src/request/query-params.js';
import type { Condition } from '../../src/request/types.js';

const f = (name: string, path: Array<[string, string]> = []) => ({ name, path: path.map(([arrow, key]) => ({ arrow, key })) });
const col = (name: string, extra: Record<string, unknown> = {}) =>
  ({ kind: 'field', field: f(name), alias: null, cast: null, aggregate: null, aggregateCast: null, ...extra });

function parseErr(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ApiError, `expected ApiError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a parse error');
}

function conditions(qs: string): Condition[] {
  return parseQueryParams(new URLSearchParams(qs)).filters.map((x) => {
    if (x.parsed instanceof ApiError) throw x.parsed;
    return x.parsed;
  });
}

describe('select', () => {
  const cases: Array<[string, unknown[]]> = [
    ['id', [col('id')]],
    ['id,name', [col('id'), col('name')]],
    [' id , name ', [col('id'), col('name')]],
    ['*', [{ kind: 'star' }]],
    ['', [{ kind: 'star' }]],
    ['alias:id', [col('id', { alias: 'alias' })]],
    ['id::text', [col('id', { cast: 'text' })]],
    ['n:id::_int4', [col('id', { alias: 'n', cast: '_int4' })]],
    ['data->a->>b', [{ ...col('data'), field: f('data', [['->', 'a'], ['->>', 'b']]) }]],
    ['data->0', [{ ...col('data'), field: f('data', [['->', '0']]) }]],
    ['data->-1', [{ ...col('data'), field: f('data', [['->', '-1']]) }]],
    ['"a,b":"weird col"', [col('weird col', { alias: 'a,b' })]],
    ['"with \\"quote\\""', [col('with "quote"')]],
    ['first-name', [col('first-name')]],
    ['amount.sum()', [col('amount', { aggregate: 'sum' })]],
    ['total:amount.sum()::int', [col('amount', { alias: 'total', aggregate: 'sum', aggregateCast: 'int' })]],
    ['amount::numeric.avg()', [col('amount', { cast: 'numeric', aggregate: 'avg' })]],
    ['count()', [{ kind: 'count', alias: null, cast: null }]],
    ['c:count()::text', [{ kind: 'count', alias: 'c', cast: 'text' }]],
    ['rel(*)', [{ kind: 'embed', name: 'rel', alias: null, hint: null, joinType: null, spread: false, select: [{ kind: 'star' }] }]],
    ['a:rel!fk!inner(id)', [{ kind: 'embed', name: 'rel', alias: 'a', hint: 'fk', joinType: 'inner', spread: false, select: [col('id')] }]],
    ['rel!left(id)', [{ kind: 'embed', name: 'rel', alias: null, hint: null, joinType: 'left', spread: false, select: [col('id')] }]],
    ['...rel(a,b)', [{ kind: 'embed', name: 'rel', alias: null, hint: null, joinType: null, spread: true, select: [col('a'), col('b')] }]],
    ['rel()', [{ kind: 'embed', name: 'rel', alias: null, hint: null, joinType: null, spread: false, select: [] }]],
    ['a(b(c))', [{ kind: 'embed', name: 'a', alias: null, hint: null, joinType: null, spread: false, select: [
      { kind: 'embed', name: 'b', alias: null, hint: null, joinType: null, spread: false, select: [col('c')] }] }]],
  ];
  for (const [input, expected] of cases) {
    it(`parses ${JSON.stringify(input)}`, () => assert.deepEqual(parseSelect(input), expected));
  }

  const bad: Array<[string, number, RegExp]> = [
    ['id,', 4, /unexpected end of input/],
    ['id,,name', 4, /unexpected ","/],
    ['rel(id', 7, /expecting "," or "\)"/],
    ['id)', 3, /expecting end of input/],
    ['id::', 5, /type name/],
    ['amount.foo()', 8, /aggregate function/],
    ['"unterminated', 14, /closing quote/],
    ['a:...rel(x)', 6, /spread/],
  ];
  for (const [input, column, details] of bad) {
    it(`rejects ${JSON.stringify(input)}`, () => {
      const e = parseErr(() => parseSelect(input));
      assert.equal(e.code, 'PGRST100');
      assert.equal(e.status, 400);
      assert.match(String(e.details), details);
      assert.equal(e.message, `"failed to parse select parameter (${input})" (line 1, column ${column})`);
    });
  }
});

describe('filters', () => {
  const one = (qs: string) => conditions(qs)[0];
  const cases: Array<[string, unknown]> = [
    ['id=eq.1', { kind: 'filter', field: f('id'), negated: false, operation: { kind: 'simple', op: 'eq', value: '1' } }],
    ['name=eq.a.b.c', { kind: 'filter', field: f('name'), negated: false, operation: { kind: 'simple', op: 'eq', value: 'a.b.c' } }],
    ['name=not.like.*son', { kind: 'filter', field: f('name'), negated: true, operation: { kind: 'simple', op: 'like', value: '*son' } }],
    ['id=in.(1,2,3)', { kind: 'filter', field: f('id'), negated: false, operation: { kind: 'in', values: ['1', '2', '3'] } }],
    ['n=in.("a,b","c\\"d",e)', { kind: 'filter', field: f('n'), negated: false, operation: { kind: 'in', values: ['a,b', 'c"d', 'e'] } }],
    ['id=in.()', { kind: 'filter', field: f('id'), negated: false, operation: { kind: 'in', values: [] } }],
    ['a=is.NULL', { kind: 'filter', field: f('a'), negated: false, operation: { kind: 'is', value: 'null' } }],
    ['a=is.not_null', { kind: 'filter', field: f('a'), negated: false, operation: { kind: 'is', value: 'not_null' } }],
    ['a=not.is.true', { kind: 'filter', field: f('a'), negated: true, operation: { kind: 'is', value: 'true' } }],
    ['a=isdistinct.x', { kind: 'filter', field: f('a'), negated: false, operation: { kind: 'simple', op: 'isdistinct', value: 'x' } }],
    ['d=fts(english).cat', { kind: 'filter', field: f('d'), negated: false, operation: { kind: 'fts', op: 'fts', language: 'english', value: 'cat' } }],
    ['d=wfts.cat dog', { kind: 'filter', field: f('d'), negated: false, operation: { kind: 'fts', op: 'wfts', language: null, value: 'cat dog' } }],
    ['t=cs.{a,b}', { kind: 'filter', field: f('t'), negated: false, operation: { kind: 'simple', op: 'cs', value: '{a,b}' } }],
    ['r=adj.[1,2)', { kind: 'filter', field: f('r'), negated: false, operation: { kind: 'simple', op: 'adj', value: '[1,2)' } }],
    ['n=like(any).{O*,P*}', { kind: 'filter', field: f('n'), negated: false, operation: { kind: 'quantified', op: 'like', quantifier: 'any', values: ['O*', 'P*'] } }],
    ['n=eq(all).{"a,b",c}', { kind: 'filter', field: f('n'), negated: false, operation: { kind: 'quantified', op: 'eq', quantifier: 'all', values: ['a,b', 'c'] } }],
    ['data->a->>b=eq.x', { kind: 'filter', field: f('data', [['->', 'a'], ['->>', 'b']]), negated: false, operation: { kind: 'simple', op: 'eq', value: 'x' } }],
    ['arr->0=eq.x', { kind: 'filter', field: f('arr', [['->', '0']]), negated: false, operation: { kind: 'simple', op: 'eq', value: 'x' } }],
    ['"information.cpe"=like.*MS*', { kind: 'filter', field: f('information.cpe'), negated: false, operation: { kind: 'simple', op: 'like', value: '*MS*' } }],
  ];
  for (const [qs, expected] of cases) it(`parses ${qs}`, () => assert.deepEqual(one(qs), expected));

  it('parses logic trees with nesting and negation', () => {
    assert.deepEqual(one('or=(a.eq.1,not.and(b.gt.2,c.is.null),d.in.(1,2))'), {
      kind: 'logic', op: 'or', negated: false, children: [
        { kind: 'filter', field: f('a'), negated: false, operation: { kind: 'simple', op: 'eq', value: '1' } },
        { kind: 'logic', op: 'and', negated: true, children: [
          { kind: 'filter', field: f('b'), negated: false, operation: { kind: 'simple', op: 'gt', value: '2' } },
          { kind: 'filter', field: f('c'), negated: false, operation: { kind: 'is', value: 'null' } },
        ] },
        { kind: 'filter', field: f('d'), negated: false, operation: { kind: 'in', values: ['1', '2'] } },
      ],
    });
  });
  it('parses not.or and quoted values in logic trees', () => {
    const c = one('not.or=(name.eq."a,b",tags.cs.{x,y})');
    assert.deepEqual(c, { kind: 'logic', op: 'or', negated: true, children: [
      { kind: 'filter', field: f('name'), negated: false, operation: { kind: 'simple', op: 'eq', value: 'a,b' } },
      { kind: 'filter', field: f('tags'), negated: false, operation: { kind: 'simple', op: 'cs', value: '{x,y}' } },
    ] });
  });
  it('keeps the embed path of filters and logic', () => {
    const p = parseQueryParams(new URLSearchParams('films.year=gt.2000&films.roles.or=(a.eq.1)&films.not.or=(b.eq.2)'));
    assert.deepEqual(p.filters.map((x) => x.path), [['films'], ['films', 'roles'], ['films']]);
  });

  const bad: Array<[string, RegExp]> = [
    ['id=1', /^unexpected "1" expecting "not" or operator \(eq, gt, \.\.\.\)$/],
    ['id=eqq.1', /^unknown single value operator eqq$/],
    ['id=in.1,2', /expecting "\("/],
    ['id=in.(1,2', /expecting "," or "\)"/],
    ['a=is.maybe', /null, not_null, true, false or unknown/],
    ['n=like(some).{a}', /"any" or "all"/],
    ['n=like(any).a', /curly braces/],
    ['or=(a.eq.1', /expecting "," or "\)"/],
    ['or=a.eq.1', /expecting "\("/],
    ['or=(a.zz.1)', /^unknown single value operator zz$/],
    ['d=fts(english.cat', /expecting "\)"/],
  ];
  for (const [qs, details] of bad) {
    it(`rejects ${qs}`, () => {
      const e = parseErr(() => conditions(qs));
      assert.equal(e.code, 'PGRST100');
      assert.match(String(e.details), details);
    });
  }
});

describe('order', () => {
  it('parses directions, nulls, JSON paths and related columns', () => {
    assert.deepEqual(parseOrder('a.desc.nullslast,b,data->>k.asc,clients(name).desc.nullsfirst,c.nullsfirst'), [
      { relation: null, field: f('a'), direction: 'desc', nulls: 'last' },
      { relation: null, field: f('b'), direction: null, nulls: null },
      { relation: null, field: f('data', [['->>', 'k']]), direction: 'asc', nulls: null },
      { relation: 'clients', field: f('name'), direction: 'desc', nulls: 'first' },
      { relation: null, field: f('c'), direction: null, nulls: 'first' },
    ]);
  });
  for (const [input, details] of [['a.dsc', /asc", "desc"/], ['a,', /end of input/], ['a.asc.desc', /nullsfirst/]] as const) {
    it(`rejects ${input}`, () => {
      const e = parseErr(() => parseOrder(input));
      assert.equal(e.code, 'PGRST100');
      assert.match(String(e.details), details);
    });
  }
});

describe('reserved parameters', () => {
  it('parses limit/offset at paths, columns and on_conflict', () => {
    const p = parseQueryParams(new URLSearchParams('limit=5&offset=10&films.limit=2&columns="a b",c&on_conflict=id'));
    assert.deepEqual(p.limit, [{ path: [], value: 5 }, { path: ['films'], value: 2 }]);
    assert.deepEqual(p.offset, [{ path: [], value: 10 }]);
    assert.deepEqual(p.columns, ['a b', 'c']);
    assert.deepEqual(p.onConflict, ['id']);
  });
  it('rejects a negative limit with 416 PGRST103 and garbage with PGRST100', () => {
    assert.equal(parseErr(() => parseQueryParams(new URLSearchParams('limit=-1'))).code, 'PGRST103');
    assert.equal(parseErr(() => parseQueryParams(new URLSearchParams('limit=abc'))).code, 'PGRST100');
  });
  it('rejects NUL characters', () => {
    assert.equal(parseErr(() => parseQueryParams(new URLSearchParams('a=eq.%00'))).code, 'PGRST100');
  });
});

describe('PostgREST compatibility of the grammar', () => {
  const one = (qs: string) => conditions(qs)[0];
  const sel = (input: string) => parseSelect(input)[0] as { field: { path: unknown } };

  it('reads JSON keys with non-reserved special characters', () => {
    assert.deepEqual(sel('data->!@#$%^&*_a').field.path, [{ arrow: '->', key: '!@#$%^&*_a' }]);
    assert.deepEqual(sel('data->>a b ').field.path, [{ arrow: '->>', key: 'a b' }]);
    assert.deepEqual(sel('data->a-b->>c').field.path, [{ arrow: '->', key: 'a-b' }, { arrow: '->>', key: 'c' }]);
    assert.deepEqual(sel('data->1a').field.path, [{ arrow: '->', key: '1a' }]);
    assert.deepEqual(parseOrder('data->!@#.desc')[0]?.field.path, [{ arrow: '->', key: '!@#' }]);
  });
  for (const [input, details] of [
    ['data->>--34', /unexpected "-" expecting digit/],
    ['data->>-xy-4', /unexpected "x" expecting digit/],
    ['data->>-78xy', /^unexpected 'x' expecting digit, "->", "::", ".", "," or end of input$/],
    ['data->a.b', /aggregate function/],
    ['data->a:b', /expecting/],
    ['data->(a)', /any non reserved character/],
    ['data->', /any non reserved character/],
  ] as const) {
    it(`rejects the JSON path ${input}`, () => {
      const e = parseErr(() => parseSelect(input));
      assert.equal(e.code, 'PGRST100');
      assert.match(String(e.details), details);
    });
  }
  it('allows whitespace around tokens of logic trees and lists', () => {
    const c = one('or=( id.eq.1 ,  and( a .gt.2,b.in.( 1, 2 ) ) ) ');
    assert.deepEqual(c, { kind: 'logic', op: 'or', negated: false, children: [
      { kind: 'filter', field: f('id'), negated: false, operation: { kind: 'simple', op: 'eq', value: '1 ' } },
      { kind: 'logic', op: 'and', negated: false, children: [
        { kind: 'filter', field: f('a'), negated: false, operation: { kind: 'simple', op: 'gt', value: '2' } },
        { kind: 'filter', field: f('b'), negated: false, operation: { kind: 'in', values: ['1', ' 2 '] } },
      ] },
    ] });
    assert.deepEqual(one('id=in.( 1,2) '), { kind: 'filter', field: f('id'), negated: false, operation: { kind: 'in', values: ['1', '2'] } });
  });
  it('reads in.() lists with quotes and backslash escapes as PostgREST does', () => {
    const values = (qs: string) => (one(qs) as unknown as { operation: { values: string[] } }).operation.values;
    assert.deepEqual(values('n=in.("a\\\\b","c\\,d","e\\"f")'), ['a\\b', 'c,d', 'e"f']);
    assert.deepEqual(values('n=in.("a"b,c)'), ['"a"b', 'c']);
    assert.deepEqual(values('n=in.("",x)'), ['', 'x']);
    assert.deepEqual(values('n=in.(,)'), ['', '']);
    assert.deepEqual((one('or=(n.eq."a\\)b",n.eq."x"y)') as unknown as { children: Array<{ operation: { value: string } }> }).children.map((c) => c.operation.value), ['a)b', '"x"y']);
  });
  it('ignores a negative offset', () => {
    const p = parseQueryParams(new URLSearchParams('offset=-5&films.offset=-1'));
    assert.deepEqual(p.offset, []);
  });
  it('parses nested empty embeds', () => {
    assert.deepEqual(parseSelect('a(b())'), [{ kind: 'embed', name: 'a', alias: null, hint: null, joinType: null, spread: false, select: [
      { kind: 'embed', name: 'b', alias: null, hint: null, joinType: null, spread: false, select: [] }] }]);
  });
});
