// Pure tests of the nested insert planner and compiler over a hand-built schema cache (no database):
// the levels a body yields, the exact SQL and parameters of one graph, and the refusals.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../src/errors/api-error.js';
import { parseRequest } from '../../src/request/parse-request.js';
import { planWrite } from '../../src/plan/write.js';
import { writeStatement } from '../../src/sql/write.js';
import { render } from '../../src/sql/sql.js';
import type { Table } from '../../src/schema-cache/types.js';
import { cacheOf, fk, table } from '../unit/embed-fixture.js';

/** A serial `id`: the keys other levels need are drawn from its sequence before the inserts. */
const serial = (t: Table): Table => {
  const columns = t.columns.map((c) => (c.name === 'id' ? { ...c, default: `nextval('api.${t.name}_id_seq'::regclass)` } : c));
  return { ...t, columns, columnsByName: new Map(columns.map((c) => [c.name, c])) };
};
const cache = cacheOf({
  tables: [
    serial(table('directors', ['id', 'name'])),
    serial(table('films', ['id', 'title', 'director_id'])),
    serial(table('actors', ['id', 'name'])),
    table('roles', ['film_id', 'actor_id'], ['film_id', 'actor_id']),
  ],
  foreignKeys: [
    fk('films_director_id_fkey', 'films', ['director_id'], 'directors', ['id']),
    fk('roles_film_id_fkey', 'roles', ['film_id'], 'films', ['id']),
    fk('roles_actor_id_fkey', 'roles', ['actor_id'], 'actors', ['id']),
  ],
});

const plan = (url: string, body: string, method = 'POST', prefer = 'return=minimal') =>
  planWrite(parseRequest({ method, url, headers: { 'content-type': 'application/json', prefer }, body: Buffer.from(body) }, { schemas: ['api'] }), cache, { aggregatesEnabled: false });
const refused = (code: string, details?: string) => (e: unknown) => e instanceof ApiError && e.code === code && (details === undefined || e.details === details);

describe('nested insert plan', () => {
  it('one level per relationship path: to-one first in the data, many-to-many with its junction, keys to draw', () => {
    const p = plan('/films', '{"title":1,"directors":{"name":2},"actors":[{"name":3},{"id":7}]}');
    const levels = p.nested?.levels ?? [];
    assert.deepEqual(levels.map((l) => [l.name, l.kind, l.parent, l.key, l.columns, l.fill.map((f) => f.column), l.connectKey]), [
      ['films', 'root', null, null, ['title'], ['id'], []],
      ['directors', 'one', 0, 'directors', ['name'], ['id'], ['id']],
      ['actors', 'm2m', 0, 'actors', ['name'], ['id'], ['id']],
    ]);
    assert.deepEqual(levels[2]?.junction, { schema: 'api', name: 'roles', parentPairs: [['id', 'film_id']], childPairs: [['actor_id', 'id']] });
  });

  it('the statement: data CTEs with ordinals and drawn keys, one INSERT per level and junction, all values bound', () => {
    const r = render(writeStatement(plan('/films', '{"title":1,"directors":{"name":2}}')));
    // films' id is read by no other level here: only directors draw their key first.
    assert.equal(r.text, 'WITH pgrst_payload AS (SELECT $1::json AS v), '
      + 'pgrst_d0 AS MATERIALIZED (SELECT n.i, n.p, n.c, n.v AS v '
      + 'FROM (SELECT pgrst_e.i, NULL::bigint AS p, false AS c, pgrst_e.v FROM jsonb_array_elements((SELECT v FROM pgrst_payload)::jsonb) WITH ORDINALITY AS pgrst_e(v, i)) AS n), '
      + "pgrst_d1 AS MATERIALIZED (SELECT n.i, n.p, n.c, n.v || jsonb_build_object($2::text, CASE WHEN n.v ? $3::text THEN n.v -> $4::text ELSE to_jsonb((nextval('api.directors_id_seq'::regclass))) END) AS v "
      + 'FROM (SELECT row_number() OVER (ORDER BY pgrst_p.i) AS i, pgrst_p.i AS p, ((SELECT pg_catalog.count(*) FROM jsonb_object_keys(pgrst_p.v -> $5::text)) = 1 AND pgrst_p.v -> $6::text ?& ARRAY[$7::text]) AS c, pgrst_p.v -> $8::text AS v '
      + "FROM pgrst_d0 AS pgrst_p WHERE jsonb_typeof(pgrst_p.v -> $9::text) = 'object') AS n), "
      + 'pgrst_i0 AS (INSERT INTO "api"."films" AS "films" ("title", "director_id") SELECT pgrst_new."title", pgrst_new."director_id" '
      + "FROM pgrst_d0 AS pgrst_d LEFT JOIN pgrst_d1 AS pgrst_t1 ON pgrst_t1.p = pgrst_d.i, jsonb_populate_record(NULL::\"api\".\"films\", pgrst_d.v || CASE WHEN pgrst_d.v ? $10::text THEN jsonb_build_object($11::text, pgrst_t1.v -> $12::text) ELSE '{}'::jsonb END) AS pgrst_new "
      + 'WHERE NOT pgrst_d.c ORDER BY pgrst_d.i RETURNING 1 AS pgrst_one), '
      + 'pgrst_i1 AS (INSERT INTO "api"."directors" AS "directors" ("name", "id") SELECT pgrst_new."name", pgrst_new."id" FROM pgrst_d1 AS pgrst_d, jsonb_populate_record(NULL::"api"."directors", pgrst_d.v) AS pgrst_new WHERE NOT pgrst_d.c ORDER BY pgrst_d.i), '
      + 'pgrst_mutation AS (SELECT * FROM pgrst_i0), pgrst_source AS (SELECT * FROM pgrst_mutation) '
      + "SELECT (SELECT pg_catalog.count(*) FROM pgrst_mutation) AS affected, pg_catalog.count(_postgrest_t) AS page_total, NULL::text AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, NULL::bigint AS inserted FROM (SELECT * FROM pgrst_source) _postgrest_t");
    assert.deepEqual(r.values, ['[{"title":1,"directors":{"name":2}}]', 'id', 'id', 'id', 'directors', 'directors', 'id', 'directors', 'directors', 'directors', 'director_id', 'id']);
  });

  it('a representation embedding new rows reads the table and the RETURNING rows of its inserts', () => {
    const r = render(writeStatement(plan('/films?select=title,actors(name)', '{"title":1,"actors":[{"name":2}]}', 'POST', 'return=representation')));
    assert.match(r.text, /pgrst_i1 AS \(INSERT INTO "api"\."actors" .* RETURNING "actors"\.\*\), pgrst_j1 AS \(INSERT INTO "api"\."roles" AS "roles" \("film_id", "actor_id"\) .* RETURNING "roles"\.\*\)/);
    assert.match(r.text, /pgrst_u1 AS \(SELECT \* FROM "api"\."actors" UNION ALL SELECT \* FROM pgrst_i1\), pgrst_u2 AS \(SELECT \* FROM "api"\."roles" UNION ALL SELECT \* FROM pgrst_j1\)/);
    assert.match(r.text, /FROM "pgrst_u1" AS "actors_1" INNER JOIN "pgrst_u2" AS "roles_1"/);
  });

  it('refusals name the key and the path', () => {
    assert.throws(() => plan('/films?id=eq.1', '{"title":1,"actors":[]}', 'PATCH'), refused('PGRST192'));
    assert.throws(() => plan('/films', '{"title":1,"actors":[]}', 'POST', 'resolution=ignore-duplicates'), refused('PGRST192'));
    assert.throws(() => plan('/films', '{"title":1,"directors":[{"name":2}]}'), refused('PGRST193', 'directors'));
    assert.throws(() => plan('/films', '[{"title":1,"actors":[{"name":2,"nope":1}]}]'), refused('PGRST204', '[0].actors[0].nope'));
    assert.throws(() => plan('/films', '{"title":1,"actors":[{"name":"a"},{"name":"b","id":3}]}'), refused('PGRST193', 'actors[1]'));
    // roles has no default for its keys: a film's roles may only connect through the junction's own columns.
    assert.throws(() => plan('/directors', '{"name":1,"films":[{"title":2,"director_id":5}]}'), refused('PGRST193', 'films[0].director_id'));
  });

  it('a body without relationship keys plans as before (no nested part)', () => {
    assert.equal(plan('/films', '{"title":1}').nested, undefined);
  });
});
