// The fuzzy set behind "Perhaps you meant …" hints: PostgREST's own doctests (Error.hs) as cases.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { closest, FuzzySet } from '../../src/plan/fuzzy.js';

describe('fuzzy set (fuzzyset.js / Data.FuzzySet)', () => {
  it('picks the function PostgREST picks', () => {
    assert.equal(closest('testt', ['test', 'another']), 'test');
    assert.equal(closest('other', ['test', 'another']), 'another');
    assert.equal(closest('noclosealternative', ['test', 'another']), null);
    assert.equal(closest('sayhell', ['sayhello', 'add_them', 'overloaded']), 'sayhello');
  });

  it('picks the parameter list PostgREST picks', () => {
    const lists = ['(name, param, val)', '(attr, id)'];
    assert.equal(closest('(nam, pqaram, vall)', lists), '(name, param, val)');
    assert.equal(closest('(param, val)', lists), '(name, param, val)');
    assert.equal(closest('(attrs, id)', lists), '(attr, id)');
    assert.equal(closest('(id)', lists), '(attr, id)');
    assert.equal(closest('(noclosealternative)', lists), null);
  });

  it('scores an exact match (any case) 1 and alone; ignores underscores and punctuation in grams', () => {
    assert.deepEqual(new FuzzySet(['Films', 'film_roles']).get('films'), [[1, 'Films']]);
    assert.equal(closest('filmroles', ['film_roles', 'films']), 'film_roles');
    const scores = new FuzzySet(['directors', 'roles', 'actors']).get('role');
    assert.equal(scores[0]?.[1], 'roles');
    assert.ok(scores.every(([s], i) => i === 0 || s <= (scores[i - 1] as readonly [number, string])[0]));
  });
});
