// Pure tests of write bodies: JSON objects and arrays (kept as sent), key uniformity, CSV and
// form-urlencoded bodies, and PostgREST's PGRST102 messages.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../src/errors/api-error.js';
import { parseCsv } from '../../src/request/body-csv.js';
import { bodyFormat, formFields, parseRowsBody } from '../../src/request/body.js';
import { parseMediaType } from '../../src/request/headers.js';

const ct = (t: string) => parseMediaType(t);
const parse = (body: string, type = 'application/json', uniform = true) => parseRowsBody(Buffer.from(body), ct(type), uniform);
const rejects = (fn: () => unknown, message: string) => assert.throws(fn, (e: unknown) => {
  assert.ok(e instanceof ApiError);
  assert.equal(e.code, 'PGRST102');
  assert.equal(e.status, 400);
  assert.equal(e.message, message);
  return true;
});

describe('JSON bodies', () => {
  it('an object becomes a one-row array, text kept as sent', () => {
    const p = parse('{"a": 12345678901234567890123, "b": "x"}');
    assert.equal(p.json, '[{"a": 12345678901234567890123, "b": "x"}]');
    assert.deepEqual(p.keys, ['a', 'b']);
    assert.equal(p.isArray, false);
  });
  it('an array keeps its text; [] has no keys', () => {
    const p = parse('[{"a":1},{"a":2}]');
    assert.equal(p.json, '[{"a":1},{"a":2}]');
    assert.deepEqual(p.keys, ['a']);
    assert.equal(p.rows.length, 2);
    assert.deepEqual(parse('[]').keys, []);
  });
  it('a missing Content-Type means JSON; charset is accepted', () => {
    assert.equal(parseRowsBody(Buffer.from('{"a":1}'), null, true).rows.length, 1);
    assert.equal(parse('{"a":1}', 'application/json; charset=utf-8').rows.length, 1);
  });
  const invalid: Array<[string, string]> = [['', 'empty'], ['{"a":', 'truncated'], ['42', 'scalar'], ['[1]', 'array of scalars'], ['[{"a":1}, null]', 'null row'], ['"x"', 'string']];
  for (const [body, label] of invalid) {
    it(`rejects ${label}`, () => rejects(() => parse(body), 'Empty or invalid json'));
  }
  it('rows must share keys unless ?columns= is given', () => {
    rejects(() => parse('[{"a":1},{"b":2}]'), 'All object keys must match');
    rejects(() => parse('[{"a":1},{"a":1,"b":2}]'), 'All object keys must match');
    assert.equal(parse('[{"a":1,"b":2},{"b":3,"a":4}]').rows.length, 2);
    assert.equal(parse('[{"a":1},{"b":2}]', 'application/json', false).rows.length, 2);
  });
});

describe('CSV bodies', () => {
  it('parses quotes, escaped quotes, NULL, empty fields and CRLF', () => {
    assert.deepEqual(parseCsv('a,b,c\r\n"x, y","say ""hi""",NULL\r\n,"NULL",z\r\n'), [
      ['a', 'b', 'c'], ['x, y', 'say "hi"', null], ['', 'NULL', 'z'],
    ]);
    assert.deepEqual(parseCsv('a\n"multi\nline"'), [['a'], ['multi\nline']]);
    assert.deepEqual(parseCsv(''), []);
  });
  it('becomes a JSON array of string values', () => {
    const p = parse('name,budget\nx,1\ny,NULL\n', 'text/csv');
    assert.equal(p.json, '[{"name":"x","budget":"1"},{"name":"y","budget":null}]');
    assert.deepEqual(p.keys, ['name', 'budget']);
    assert.equal(parse('name,budget\n', 'text/csv').rows.length, 0);
  });
  it('rejects rows of another length', () => {
    rejects(() => parse('a,b\n1\n', 'text/csv'), 'All lines must have same number of fields');
    rejects(() => parse('a,b\n1,2,3\n', 'text/csv'), 'All lines must have same number of fields');
  });
});

describe('form bodies and formats', () => {
  it('form-urlencoded is one row; repeated fields are kept for RPC', () => {
    const p = parse('a=1&b=x+y&c=%26', 'application/x-www-form-urlencoded');
    assert.equal(p.json, '[{"a":"1","b":"x y","c":"&"}]');
    assert.deepEqual([...formFields(Buffer.from('v=1&v=2&w=3'))], [['v', ['1', '2']], ['w', ['3']]]);
  });
  it('other Content-Types are refused', () => {
    rejects(() => bodyFormat(ct('application/xml')), 'Content-Type not acceptable: application/xml');
    rejects(() => bodyFormat(ct('text/plain')), 'Content-Type not acceptable: text/plain');
    assert.equal(bodyFormat(ct('TEXT/CSV')), 'csv');
  });
});
