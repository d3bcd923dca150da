import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Lru } from '../../src/util/lru.js';

describe('Lru', () => {
  it('evicts the oldest entry, keeping one that was read while in the older half', () => {
    const c = new Lru<string, number>(4);
    for (const [i, k] of ['a', 'b', 'c', 'd'].entries()) c.set(k, i);
    assert.equal(c.get('a'), 0); // a was in the older half: it becomes the newest
    c.set('e', 4);
    assert.equal(c.get('b'), undefined);
    assert.deepEqual(['a', 'c', 'd', 'e'].map((k) => c.get(k)), [0, 2, 3, 4]);
    assert.equal(c.size, 4);
  });
  it('stays bounded under a stream of distinct keys', () => {
    const c = new Lru<number, number>(100);
    for (let i = 0; i < 10_000; i++) {
      c.set(i, i);
      c.get(i - 50);
    }
    assert.equal(c.size, 100);
    assert.equal(c.get(9_999), 9_999);
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
