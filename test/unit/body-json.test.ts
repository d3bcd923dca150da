// The JSON body scanner (src/request/body-json.ts): accepts exactly what JSON.parse accepts (table
// cases and 50,000 seeded random texts), reports the keys and row shape a write needs, and stops at
// the depth limit.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { JsonDepthError, JsonSyntaxError, MAX_JSON_DEPTH, scanJson } from '../../src/request/body-json.js';
import { parseRowsBody } from '../../src/request/body.js';
import { rng } from '../reliability/fuzz-grammar.js';

const accepts = (text: string) => {
  try {
    scanJson(text);
    return true;
  } catch (err) {
    if (err instanceof JsonSyntaxError) return false;
    throw err;
  }
};
const jsonParses = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe('scanJson', () => {
  it('reports the shape of objects and arrays', () => {
    assert.deepEqual(scanJson('{"a":1,"b":[1,{"c":2}],"a":3}'), { kind: 'object', length: 1, keys: ['a', 'b'], allObjects: true, uniformKeys: true });
    assert.deepEqual(scanJson(' [ {"a":1,"b":2} , {"b":3,"a":4} ] '), { kind: 'array', length: 2, keys: ['a', 'b'], allObjects: true, uniformKeys: true });
    assert.deepEqual(scanJson('[{"a":1},{"b":1}]').uniformKeys, false);
    assert.deepEqual(scanJson('[{"a":1},{"a":1,"b":1}]').uniformKeys, false);
    assert.deepEqual(scanJson('[{"a":1,"b":1},{"a":1}]').uniformKeys, false);
    assert.deepEqual(scanJson('[{"\\u0061":1},{"a":2}]'), { kind: 'array', length: 2, keys: ['a'], allObjects: true, uniformKeys: true });
    assert.deepEqual(scanJson('[1,{"a":1}]').allObjects, false);
    assert.deepEqual(scanJson('[]'), { kind: 'array', length: 0, keys: [], allObjects: true, uniformKeys: true });
    assert.deepEqual(scanJson('"x"').kind, 'scalar');
  });

  it('accepts and refuses exactly what JSON.parse does', () => {
    const cases = ['', ' ', '{', '}', '[1,]', '{"a":1,}', '{"a"}', '{"a":01}', '"\\u00zz"', '"\\x"', '"a\u0001"', '1.', '.5', '-', '-01',
      '1e', '1e+', 'tru', 'nul', 'True', '[1 2]', '{"a":1 "b":2}', '{a:1}', "{'a':1}", '"\ud800"', '"\\ud800"', '1 2', '[]]', '[[]', '\u00a0[]',
      '\t\n\r [ ] \t\n\r', '-0', '0e0', '1E-5', '[true,false,null]', '{"":""}', '"\\/\\b\\f\\n\\r\\t\\"\\\\"'];
    for (const c of cases) assert.equal(accepts(c), jsonParses(c), JSON.stringify(c));
    const alphabet = ['{', '}', '[', ']', ',', ':', '"a"', '"b"', '1', '-', '0', '.', 'e', '+', 'true', 'null', ' ', '"\\u0041"', '"\\', 'x', '\t', '"é"'];
    const r = rng(20);
    for (let k = 0; k < 50_000; k++) {
      let s = '';
      for (let j = 1 + Math.floor(r() * 12); j > 0; j--) s += alphabet[Math.floor(r() * alphabet.length)];
      assert.equal(accepts(s), jsonParses(s), JSON.stringify(s));
    }
  });

  it(`stops at ${MAX_JSON_DEPTH} levels`, () => {
    assert.equal(scanJson('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH)).kind, 'array');
    assert.throws(() => scanJson('['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1)), JsonDepthError);
    assert.throws(() => scanJson(`{"a":${'['.repeat(100_000)}`), JsonDepthError);
  });
});

describe('parseRowsBody over the scanner', () => {
  const json = { type: 'application/json', params: {} } as unknown as Parameters<typeof parseRowsBody>[1];
  it('builds rows only when asked for them', () => {
    const p = parseRowsBody(Buffer.from('[{"id":1,"n":"12345678901234567890"},{"n":2,"id":3}]'), json, true);
    assert.equal(p.rowCount, 2);
    assert.deepEqual(p.keys, ['id', 'n']);
    assert.equal(p.json, '[{"id":1,"n":"12345678901234567890"},{"n":2,"id":3}]');
    assert.deepEqual(p.rows, [{ id: 1, n: '12345678901234567890' }, { n: 2, id: 3 }]);
    assert.equal(parseRowsBody(Buffer.from('{"a":1}'), json, true).json, '[{"a":1}]');
  });

  it('answers 400 PGRST102 for invalid, mixed and too deep bodies', () => {
    const refused = (body: string, uniform: boolean, details: string | null, message = 'Empty or invalid json') => {
      assert.throws(() => parseRowsBody(Buffer.from(body), json, uniform), (err: { code?: string; status?: number; message?: string; details?: unknown }) =>
        err.code === 'PGRST102' && err.status === 400 && err.message === message && err.details === details);
    };
    refused('[1]', true, null);
    refused('"x"', true, null);
    refused('[{"a":1},{"b":2}]', true, null, 'All object keys must match');
    refused(`[{"a":${'['.repeat(1000)}${']'.repeat(1000)}}]`, true, `JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
    assert.equal(parseRowsBody(Buffer.from('[{"a":1},{"b":2}]'), json, false).rowCount, 2);
  });
});
