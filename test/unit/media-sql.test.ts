// The exact SQL of the media types beyond JSON (sql/media-body.ts, sql/explain.ts,
// sql/representations.ts); the API tests (test/api/compat-media.test.ts) run it on every backend.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { explainSql } from '../../src/sql/explain.js';
import { extraBodySql } from '../../src/sql/media-body.js';
import { parsedPayloadSql } from '../../src/sql/representations.js';
import { param, render, sql } from '../../src/sql/sql.js';

describe('media SQL', () => {
  it('EXPLAIN wraps the statement with the format and options', () => {
    const out = render(explainSql({ kind: 'plan', format: 'json', options: ['analyze', 'wal'], for: { kind: 'json' }, forType: 'application/json' }, sql`SELECT ${param('x')}`));
    assert.deepEqual(out, { text: 'EXPLAIN (FORMAT JSON, ANALYZE, WAL) SELECT $1', values: ['x'] });
  });

  it('bodies: GeoJSON, raw values, handlers (binary ones base64)', () => {
    assert.equal(render(extraBodySql({ kind: 'geojson', postgisSchema: 'public' })).text,
      `json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg("public".st_asgeojson(_postgrest_t)::json), '[]'))::text`);
    assert.equal(render(extraBodySql({ kind: 'raw', mediaType: 'text/plain', column: 'a"b', binary: false })).text,
      `coalesce(string_agg(_postgrest_t."a""b"::text, '')::text, '')`);
    assert.equal(render(extraBodySql({ kind: 'raw', mediaType: 'application/octet-stream', column: 'c', binary: true })).text,
      `encode(coalesce(string_agg(_postgrest_t."c", ''::bytea), ''::bytea), 'base64')`);
    assert.equal(render(extraBodySql({ kind: 'handler', contentType: 'text/x', aggregate: { schema: 'api', name: 'agg' }, castTo: { schema: 'api', name: 't' }, column: null, binary: false })).text,
      `coalesce("api"."agg"(_postgrest_t::"api"."t")::text, '')`);
    assert.equal(render(extraBodySql({ kind: 'handler', contentType: 'image/png', aggregate: null, castTo: null, column: 'f', binary: true })).text,
      `encode(coalesce(string_agg(_postgrest_t."f"::bytea, ''::bytea), ''::bytea), 'base64')`);
  });

  it('payloads: represented keys parsed (key and function as given), others dropped', () => {
    assert.equal(render(parsedPayloadSql(param('[]'), [])).text, '$1::json');
    const out = render(parsedPayloadSql(param('[{"c":"#fff"}]'), [['c', { schema: 'api', name: 'from_json' }], ['d', null]]));
    assert.deepEqual(out.values, ['d', 'c', 'c', 'c', '[{"c":"#fff"}]']);
    assert.equal(out.text,
      `(SELECT coalesce(json_agg(((pgrst_el.j - $1::text) || (SELECT coalesce(jsonb_object_agg(pgrst_x.k, pgrst_x.val), '{}') FROM (VALUES ($2::text, CASE WHEN jsonb_typeof(pgrst_el.j -> $3::text) = 'null' THEN 'null'::jsonb ELSE to_jsonb("api"."from_json"((pgrst_el.j -> $4::text)::json)) END)) AS pgrst_x(k, val) WHERE pgrst_el.j ? pgrst_x.k))::json ORDER BY pgrst_el.i), '[]') FROM jsonb_array_elements($5::jsonb) WITH ORDINALITY AS pgrst_el(j, i))`);
  });
});
