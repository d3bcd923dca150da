import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Lru } from '../../src/util/lru.js';

describe('Lru', () => {
  it('evicts the least recently used entry', () => {
    const c = new Lru<string, number>(2);
    c.set('a', 1);
    c.set('b', 2);
    assert.equal(c.get('a'), 1); // a is now the most recent
    c.set('c', 3);
    assert.equal(c.get('b'), undefined);
    assert.equal(c.get('a'), 1);
    assert.equal(c.get('c'), 3);
    assert.equal(c.size, 2);
  });
  it('getOrSet builds once and stores nothing when the builder throws', () => {
    const c = new Lru<string, number>(4);
    let calls = 0;
    assert.equal(c.getOrSet('k', () => ++calls), 1);
    assert.equal(c.getOrSet('k', () => ++calls), 1);
    assert.throws(() => c.getOrSet('bad', () => { throw new Error('no'); }), /no/);
    assert.equal(c.get('bad'), undefined);
    assert.equal(c.size, 1);
  });
  it('refuses a size below one', () => {
    assert.throws(() => new Lru(0), RangeError);
  });
});
