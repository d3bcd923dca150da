// The embedding planner and its SQL without a database: exact SQL for a to-one and a to-many
// embed (lateral joins, parameters), the plan shapes of M2M/computed/spread embeds, and errors.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../src/errors/api-error.js';
import { planRead } from '../../src/plan/read.js';
import type { EmbedPlan, ReadNode } from '../../src/plan/types.js';
import { parseRequest } from '../../src/request/parse-request.js';
import { readNodeSql } from '../../src/sql/read.js';
import { render } from '../../src/sql/sql.js';
import { filmsCache } from './embed-fixture.js';

const plan = (url: string, aggregatesEnabled = true) =>
  planRead(parseRequest({ method: 'GET', url, headers: {}, body: null }, { schemas: ['api'] }), filmsCache(), { maxRows: null, aggregatesEnabled });
const sqlOf = (url: string) => render(readNodeSql(plan(url).root));
const embeds = (node: ReadNode): EmbedPlan[] => node.select.flatMap((s) => (s.kind === 'embed' ? [s.embed] : []));
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err.code;
    throw err;
  }
  return null;
};

describe('embedding SQL', () => {
  it('many-to-one: a lateral subquery, the row as a JSON object', () => {
    assert.deepEqual(sqlOf('/films?select=title,directors(name)'), {
      text: 'SELECT "films"."title", row_to_json("directors_1".*) AS "directors" FROM "api"."films" AS "films" '
        + 'LEFT JOIN LATERAL (SELECT "directors_1"."name" FROM "api"."directors" AS "directors_1" '
        + 'WHERE ("directors_1"."id" = "films"."director_id")) AS "directors_1" ON TRUE',
      values: [],
    });
  });

  it('one-to-many with an embedded filter, order and limit: json_agg per parent row', () => {
    assert.deepEqual(sqlOf('/directors?select=name,films(title)&films.year=gt.2000&films.order=year.desc&films.limit=2'), {
      text: 'SELECT "directors"."name", COALESCE("films_1".pgrst_agg, \'[]\') AS "films" FROM "api"."directors" AS "directors" '
        + 'LEFT JOIN LATERAL (SELECT json_agg("films_1".*) AS pgrst_agg FROM (SELECT "films_1"."title" FROM "api"."films" AS "films_1" '
        + 'WHERE ("films_1"."year" > $1) AND ("films_1"."director_id" = "directors"."id") ORDER BY "films_1"."year" DESC LIMIT 2) AS "films_1" '
        + 'HAVING pg_catalog.count(*) > 0) AS "films_1" ON TRUE',
      values: ['2000'],
    });
  });

  it('!inner and is.null on embeds', () => {
    assert.match(sqlOf('/films?select=title,actors!inner(name)').text, / INNER JOIN LATERAL \(.*INNER JOIN "api"."roles" AS "roles_1" ON "roles_1"."actor_id" = "actors_1"."id" WHERE \("roles_1"."film_id" = "films"."id"\)/);
    assert.match(sqlOf('/directors?select=name,films()&films=is.null').text, /WHERE \("films_1" IS NOT DISTINCT FROM NULL\)$/);
  });

  it('hostile aliases and values stay identifiers and parameters', () => {
    const alias = encodeURIComponent('x\\"; DROP TABLE films; --');
    const r = sqlOf(`/films?select="${alias}":directors(name)&"${alias}".name=eq.${encodeURIComponent("';--")}`);
    assert.match(r.text, /AS "x""; DROP TABLE films; --" FROM/);
    assert.match(r.text, /WHERE \("directors_1"."name" = \$1\) AND/);
    assert.deepEqual(r.values, ["';--"]);
  });

  it('a computed relationship calls the function with the parent row', () => {
    assert.match(sqlOf('/directors?select=first_film(title)').text, /FROM "api"."first_film"\(ROW\("directors"\.\*\)::"api"."directors"\) AS "films_1"/);
  });
});

describe('embedding plans', () => {
  it('cardinalities and join specs', () => {
    const [m2o, o2o, m2m] = embeds(plan('/films?select=directors(*),specs(*),actors(*)').root);
    assert.deepEqual([m2o?.cardinality, o2o?.cardinality, m2m?.cardinality], ['one', 'one', 'many']);
    assert.deepEqual(m2o?.join, { kind: 'columns', pairs: [['director_id', 'id']] });
    assert.deepEqual(m2m?.join, { kind: 'junction', schema: 'api', table: 'roles', alias: 'roles_1', parentPairs: [['id', 'film_id']], childPairs: [['actor_id', 'id']] });
    const [computed] = embeds(plan('/directors?select=first_film(*)').root);
    assert.deepEqual([computed?.cardinality, computed?.join], ['one', { kind: 'function', schema: 'api', name: 'first_film', parentType: { schema: 'api', name: 'directors' } }]);
  });

  it('aliases, hints, join types and empty embeds', () => {
    const [e] = embeds(plan('/films?select=d:directors!films_director_id_fkey!inner()').root);
    assert.deepEqual([e?.as, e?.name, e?.joinType, e?.empty, e?.node.alias], ['d', 'directors', 'inner', true, 'directors_1']);
  });

  it('spreads: to-one hoists aggregates, to-many lifts columns as arrays', () => {
    const [one] = embeds(plan('/films?select=...directors(name,id.count())').root);
    assert.deepEqual(one?.spread, [
      { name: 'name', as: 'name', aggregate: null, aggregateCast: null },
      { name: 'pgrst_spread_1', as: 'count', aggregate: 'count', aggregateCast: null },
    ]);
    const [many] = embeds(plan('/directors?select=...films(*)').root);
    assert.deepEqual(many?.spread?.map((c) => c.as), ['id', 'title', 'year', 'director_id']);
  });

  it('embedded params reach the first embed named by alias or name', () => {
    const root = plan('/directors?select=a:films(id),b:films(id)&films.id=eq.1&b.limit=2').root;
    const [a, b] = embeds(root);
    assert.equal(a?.node.where.length, 1);
    assert.equal(b?.node.where.length, 0);
    assert.equal(b?.node.limit, 2);
  });

  it('errors: PGRST200, PGRST201, PGRST108, PGRST118, PGRST120, PGRST123', () => {
    assert.equal(code(() => plan('/films?select=nothing(*)')), 'PGRST200');
    assert.equal(code(() => plan('/actors?select=films!nope(*)')), 'PGRST200');
    assert.equal(code(() => plan('/films?select=id&directors.id=eq.1')), 'PGRST108');
    assert.equal(code(() => plan('/directors?select=films(id)&order=films(id)')), 'PGRST118');
    assert.equal(code(() => plan('/films?select=directors(id)&directors=gt.1')), 'PGRST120');
    assert.equal(code(() => plan('/films?select=directors(id.count())', false)), 'PGRST123');
    assert.equal(code(() => plan('/films_view?select=directors(id)')), null);
  });
});

describe('large pages: which reads come in chunks', () => {
  const chunked = (url: string) => plan(url).chunkRows !== null;
  it('a primary-key lookup is at most one row: plain json_agg, also with embeds and other filters', () => {
    assert.equal(chunked('/films?id=eq.1'), false);
    assert.equal(chunked('/films?id=eq.1&year=gt.2000&select=title,directors(name)'), false);
    assert.equal(chunked('/roles?film_id=eq.1&actor_id=eq.2'), false);
  });
  it('anything that may match more rows stays chunked', () => {
    assert.equal(chunked('/films'), true);
    assert.equal(chunked('/films?id=neq.1'), true);
    assert.equal(chunked('/films?id=not.eq.1'), true);
    assert.equal(chunked('/films?id=gte.1'), true);
    assert.equal(chunked('/films?or=(id.eq.1,id.eq.2)'), true);
    assert.equal(chunked('/roles?film_id=eq.1'), true, 'half of a composite key');
    assert.equal(chunked('/films_view?id=eq.1'), true, 'no key');
    assert.equal(chunked('/films?limit=1000'), false, 'a limit no larger than LARGE_PAGE');
    assert.equal(chunked('/films?limit=1001'), true);
  });
});
