// The body expression of the media types beyond JSON/CSV, over the page's rows `_postgrest_t`:
// GeoJSON through PostGIS, raw values of one column, and custom handlers. Binary bodies come back
// base64-encoded (PostgreSQL's text protocol has no other way to carry bytea unchanged) and are
// decoded by the response.
// Example: { kind: 'handler', aggregate: api.tsv_agg, castTo: api.todos } →
//   coalesce("api"."tsv_agg"(_postgrest_t::"api"."todos")::text, '')
import type { ExtraMedia } from '../plan/types.js';
import { ident, qualified, sql, unsafeRaw, type Sql } from './sql.js';

const row = unsafeRaw('_postgrest_t');

/** `text` or, for binary bodies, base64 of a bytea expression. */
function asBody(value: Sql, binary: boolean): Sql {
  return binary ? sql`encode(coalesce(${value}, ''::bytea), 'base64')` : sql`coalesce(${value}::text, '')`;
}

export function extraBodySql(media: Exclude<ExtraMedia, { kind: 'plan' }>): Sql {
  switch (media.kind) {
    case 'geojson':
      return sql`json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(${ident(media.postgisSchema)}.st_asgeojson(${row})::json), '[]'))::text`;
    case 'raw': {
      const value = sql`${row}.${ident(media.column)}`;
      if (media.mediaType === 'text/xml') return sql`coalesce(xmlagg(${value}::xml)::text, '')`;
      if (media.binary) return asBody(sql`string_agg(${value}, ''::bytea)`, true);
      return asBody(sql`string_agg(${value}::text, '')`, false);
    }
    case 'handler': {
      const input = media.column !== null ? sql`${row}.${ident(media.column)}`
        : media.castTo !== null ? sql`${row}::${qualified(media.castTo.schema, media.castTo.name)}`
        : row;
      if (media.aggregate !== null) {
        const call = sql`${qualified(media.aggregate.schema, media.aggregate.name)}(${input})`;
        return asBody(media.binary ? sql`${call}::bytea` : call, media.binary);
      }
      // A function returning the media type's domain: its value is the body.
      return media.binary ? asBody(sql`string_agg(${input}::bytea, ''::bytea)`, true) : asBody(sql`string_agg(${input}::text, '')`, false);
    }
  }
}
