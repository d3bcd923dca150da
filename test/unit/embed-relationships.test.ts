// Relationship detection and choice without a database: FKs both ways, one-to-one, views,
// junctions, computed overrides, disambiguation, and the view target-list reader.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../src/errors/api-error.js';
import { describe as describeRel, findRelationship } from '../../src/plan/relationships.js';
import { targetEntries } from '../../src/schema-cache/view-sources.js';
import { tableKey, type Relationship } from '../../src/schema-cache/types.js';
import { cacheOf, filmsCache, fk, table } from './embed-fixture.js';

const rels = (origin: string) => filmsCache().relationships.get(tableKey('api', origin)) ?? [];
const summary = (r: Relationship) => `${r.table.name}->${r.foreignTable.name} ${r.kind === 'fk' ? r.cardinality : r.kind}`;

describe('building relationships', () => {
  it('FKs in both directions, one-to-one when the FK is the key', () => {
    assert.deepEqual(rels('specs').map(summary), ['specs->films one-to-one', 'specs->films_view one-to-one']);
    assert.deepEqual(rels('films').map(summary), [
      'films->actors m2m', 'films->directors many-to-one', 'films->roles one-to-many', 'films->specs one-to-one',
    ]);
  });

  it('views inherit the FKs of the columns they expose, under their own names', () => {
    const viaView = rels('directors').find((r) => r.foreignTable.name === 'films_view');
    assert.deepEqual(viaView && viaView.kind === 'fk' ? [viaView.cardinality, viaView.columns] : null, ['one-to-many', [['id', 'dir']]]);
    assert.deepEqual(rels('films_view').map(summary), [
      'films_view->actors m2m', 'films_view->directors many-to-one', 'films_view->roles one-to-many', 'films_view->specs one-to-one',
    ]);
  });

  it('a junction only when its FK columns are part of its PK', () => {
    const noPk = cacheOf({
      tables: [table('a', ['id']), table('b', ['id']), table('ab', ['id', 'a_id', 'b_id'])],
      foreignKeys: [fk('ab_a', 'ab', ['a_id'], 'a', ['id']), fk('ab_b', 'ab', ['b_id'], 'b', ['id'])],
    });
    assert.deepEqual((noPk.relationships.get(tableKey('api', 'a')) ?? []).map(summary), ['a->ab one-to-many']);
  });

  it('a computed relationship replaces FK relationships to a relation of its name', () => {
    const cache = cacheOf({
      tables: [table('films', ['id']), table('awards', ['id', 'film_id'])],
      foreignKeys: [fk('awards_film_id_fkey', 'awards', ['film_id'], 'films', ['id'])],
      computed: [{ schema: 'api', name: 'awards', parent: { schema: 'api', name: 'films' }, target: { schema: 'api', name: 'awards' }, toOne: false }],
    });
    assert.deepEqual((cache.relationships.get(tableKey('api', 'films')) ?? []).map((r) => r.kind), ['computed']);
  });
});

describe('choosing a relationship', () => {
  const find = (origin: string, target: string, hint: string | null = null) => findRelationship(filmsCache(), 'api', origin, origin, target, hint);
  const failure = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      if (err instanceof ApiError) return err;
    }
    return null;
  };

  it('by table, FK name, FK column, junction hint', () => {
    assert.equal(summary(find('films', 'directors')), 'films->directors many-to-one');
    assert.equal(summary(find('films', 'films_director_id_fkey')), 'films->directors many-to-one');
    assert.equal(summary(find('films', 'director_id')), 'films->directors many-to-one');
    assert.equal(summary(find('films', 'actors', 'roles')), 'films->actors m2m');
  });

  it('self references: the FK column gives the parent, table!column the children', () => {
    const cache = cacheOf({ tables: [table('tree', ['id', 'parent'])], foreignKeys: [fk('tree_parent_fkey', 'tree', ['parent'], 'tree', ['id'])] });
    assert.equal(summary(findRelationship(cache, 'api', 'tree', 'tree', 'parent', null)), 'tree->tree many-to-one');
    assert.equal(summary(findRelationship(cache, 'api', 'tree', 'tree', 'tree', 'parent')), 'tree->tree one-to-many');
  });

  it('describes PGRST201 candidates as PostgREST does', () => {
    const [m2m] = rels('films').filter((r) => r.kind === 'm2m');
    assert.ok(m2m);
    assert.deepEqual(describeRel(m2m), {
      cardinality: 'many-to-many', embedding: 'films with actors', relationship: 'roles using roles_film_id_fkey(film_id) and roles_actor_id_fkey(actor_id)',
    });
    const twice = cacheOf({
      tables: [table('a', ['id']), table('o', ['id', 'x', 'y'])],
      foreignKeys: [fk('o_x', 'o', ['x'], 'a', ['id']), fk('o_y', 'o', ['y'], 'a', ['id'])],
    });
    const err = failure(() => findRelationship(twice, 'api', 'o', 'o', 'a', null));
    assert.ok(err instanceof ApiError);
    assert.equal(err.code, 'PGRST201');
    assert.equal(err.status, 300);
    assert.equal(err.hint, "Try changing 'a' to one of the following: 'a!o_x', 'a!o_y'. Find the desired relationship in the 'details' key.");
  });

  it('PGRST200 suggests a related table, or a parent that has relationships', () => {
    const child = failure(() => find('films', 'actor'));
    assert.ok(child instanceof ApiError);
    assert.equal(child.hint, "Perhaps you meant 'actors' instead of 'actor'.");
    const parent = failure(() => findRelationship(filmsCache(), 'api', 'film', 'film', 'actors', null));
    assert.ok(parent instanceof ApiError);
    assert.equal(parent.hint, "Perhaps you meant 'films' instead of 'film'.");
  });
});

describe('view target lists', () => {
  it('reads each entry\'s own origin, not that of a sub-query in its expression', () => {
    const list = '({TARGETENTRY :expr {SUBLINK :subselect {QUERY :targetList ({TARGETENTRY :expr {VAR} :resno 1 :resname inner :ressortgroupref 0 :resorigtbl 99 :resorigcol 9 :resjunk false})}} :resno 1 :resname n :ressortgroupref 0 :resorigtbl 0 :resorigcol 0 :resjunk false}'
      + ' {TARGETENTRY :expr {VAR :varno 1} :resno 2 :resname my\\ col :ressortgroupref 0 :resorigtbl 16384 :resorigcol 2 :resjunk false})';
    assert.deepEqual(targetEntries(list), [
      { name: 'n', resno: 1, rel: 0, col: 0, junk: false },
      { name: 'my col', resno: 2, rel: 16384, col: 2, junk: false },
    ]);
  });
});
