// parseRequest keeps what a request's key determines (URL, Accept, Prefer, Range, Content-Type,
// schema) per key; headers, cookies and body are each request's own, and failures are never kept.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseRequest, type RawRequest } from '../../src/request/parse-request.js';
import { ApiError } from '../../src/errors/api-error.js';

const settings = { schemas: ['api', 'other'] };
const raw = (url: string, headers: RawRequest['headers'] = {}, method = 'GET', body: Buffer | null = null): RawRequest => ({ method, url, headers, body });
const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return err instanceof ApiError ? err.code : String(err);
  }
  return 'no error';
};

describe('parseRequest', () => {
  it("gives each repeat of a request its own headers, cookies and body, and the key's parse", () => {
    const a = parseRequest(raw('/todos?id=eq.1', { host: 'a', cookie: 'x=1' }), settings);
    const b = parseRequest(raw('/todos?id=eq.1', { host: 'b', 'x-extra': ['1', '2'] }), settings);
    assert.deepEqual(a.headers, { host: 'a', cookie: 'x=1' });
    assert.deepEqual(b.headers, { host: 'b', 'x-extra': '1, 2' });
    assert.deepEqual(a.cookies, { x: '1' });
    assert.deepEqual(b.cookies, {});
    assert.equal(a.key, b.key);
    assert.equal(a.query, b.query); // parsed once
    const p1 = parseRequest(raw('/todos', { 'content-type': 'application/json' }, 'POST', Buffer.from('[1]')), settings);
    const p2 = parseRequest(raw('/todos', { 'content-type': 'application/json' }, 'POST', Buffer.from('[2]')), settings);
    assert.equal(p1.body?.toString(), '[1]');
    assert.equal(p2.body?.toString(), '[2]');
  });

  it('parses again when a header of the key differs', () => {
    const plain = parseRequest(raw('/todos'), settings);
    const counted = parseRequest(raw('/todos', { prefer: 'count=exact' }), settings);
    const ranged = parseRequest(raw('/todos', { range: '0-4' }), settings);
    const csv = parseRequest(raw('/todos', { accept: 'text/csv' }), settings);
    const other = parseRequest(raw('/todos', { 'accept-profile': 'other' }), settings);
    assert.equal(plain.preferences.count, null);
    assert.equal(counted.preferences.count, 'exact');
    assert.equal(plain.range, null);
    assert.deepEqual(ranged.range, { offset: 0, limit: 5 });
    assert.notEqual(plain.accept, csv.accept);
    assert.equal(plain.schema, 'api');
    assert.equal(other.schema, 'other');
    assert.equal(new Set([plain, counted, ranged, csv, other].map((r) => r.key)).size, 5);
  });

  it('throws for a bad request every time, a malformed path before an unexposed schema', () => {
    for (let i = 0; i < 2; i++) {
      assert.equal(codeOf(() => parseRequest(raw('/todos?select=id,('), settings)), 'PGRST100');
      assert.equal(codeOf(() => parseRequest(raw('/todos', { range: '5-1' }), settings)), 'PGRST103');
      assert.equal(codeOf(() => parseRequest(raw('/a/b/c', { 'accept-profile': 'nope' }), settings)), 'PGRST125');
      assert.equal(codeOf(() => parseRequest(raw('/todos', { 'accept-profile': 'nope' }), settings)), 'PGRST106');
    }
  });

  it('keeps parses apart per list of exposed schemas', () => {
    assert.equal(parseRequest(raw('/todos'), { schemas: ['api'] }).schemaNegotiated, false);
    assert.equal(parseRequest(raw('/todos'), { schemas: ['api', 'x'] }).schemaNegotiated, true);
  });
});
