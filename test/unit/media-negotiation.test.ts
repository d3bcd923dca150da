// Content negotiation without a database (plan/media.ts, plan/media-handlers.ts): Accept entries
// against built-in types, plans, raw output and custom handlers, in PostgREST's lookup order.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../src/errors/api-error.js';
import { negotiate, relationMedia, type MediaContext } from '../../src/plan/media.js';
import { parseAccept } from '../../src/request/headers.js';
import type { SelectItem } from '../../src/request/types.js';
import type { MediaHandler, SchemaCache } from '../../src/schema-cache/types.js';
import { cacheOf, table } from './embed-fixture.js';

const projects = table('projects', ['id', 'name']);
const files = table('files', ['id', 'content']);
const handler = (h: Partial<MediaHandler> & Pick<MediaHandler, 'name' | 'mediaType'>): MediaHandler => ({
  kind: 'aggregate', schema: 'api', target: null, resolvedType: h.mediaType === '*/*' ? 'application/octet-stream' : h.mediaType, binary: false, ...h,
});
const cache: SchemaCache = {
  ...cacheOf({ tables: [projects, files], foreignKeys: [] }),
  postgisSchema: null,
  mediaHandlers: [
    handler({ name: 'tsv_agg', mediaType: 'text/tab-separated-values', target: { schema: 'api', name: 'projects' } }),
    handler({ name: 'ndjson_agg', mediaType: 'application/x-ndjson' }),
    handler({ name: 'files_agg', mediaType: '*/*', target: { schema: 'api', name: 'files' }, binary: true }),
  ],
};
const field = (name: string): SelectItem => ({ kind: 'field', field: { name, path: [] }, alias: null, cast: null, aggregate: null, aggregateCast: null });

function pick(accept: string, ctx: MediaContext): unknown {
  try {
    return negotiate(parseAccept(accept), ['json', 'object', 'csv'], accept, ctx);
  } catch (err) {
    assert.ok(err instanceof ApiError);
    return `${err.code}: ${err.message}`;
  }
}

describe('media negotiation', () => {
  const all = relationMedia(cache, projects, null, true);
  const cases: ReadonlyArray<readonly [string, MediaContext, unknown]> = [
    ['*/*', all, { kind: 'json' }],
    ['text/tab-separated-values', all, { kind: 'handler', contentType: 'text/tab-separated-values', aggregate: { schema: 'api', name: 'tsv_agg' }, castTo: { schema: 'api', name: 'projects' }, column: null, binary: false }],
    // A relation's own handler needs the default select; anyelement handlers do not.
    ['text/tab-separated-values', relationMedia(cache, projects, [field('id')], true), 'PGRST107: None of these media types are available: text/tab-separated-values'],
    ['application/x-ndjson', relationMedia(cache, projects, [field('id')], true), { kind: 'handler', contentType: 'application/x-ndjson', aggregate: { schema: 'api', name: 'ndjson_agg' }, castTo: null, column: null, binary: false }],
    // */* of a relation answers any Accept, vendored types excepted.
    ['application/json', relationMedia(cache, files, null, false), { kind: 'handler', contentType: 'application/octet-stream', aggregate: { schema: 'api', name: 'files_agg' }, castTo: { schema: 'api', name: 'files' }, column: null, binary: true }],
    ['application/vnd.pgrst.object', relationMedia(cache, files, null, false), { kind: 'object', stripNulls: false }],
    // Raw output of one column; geo+json needs PostGIS.
    ['text/plain', relationMedia(cache, projects, [field('name')], false), { kind: 'raw', mediaType: 'text/plain', column: 'name', binary: false }],
    ['text/xml', relationMedia(cache, projects, [field('name')], false), 'PGRST107: None of these media types are available: text/xml'],
    ['application/geo+json, text/csv;q=0.5', all, { kind: 'csv' }],
    // Plans: options in PostgREST's order, the `for` type negotiated like any Accept.
    ['application/vnd.pgrst.plan+json; for="text/csv"; options=wal|analyze', all, { kind: 'plan', format: 'json', options: ['analyze', 'wal'], for: { kind: 'csv' }, forType: 'text/csv' }],
    ['application/vnd.pgrst.plan; for="application/vnd.pgrst.object"', all, { kind: 'plan', format: 'text', options: [], for: { kind: 'object', stripNulls: false }, forType: 'application/vnd.pgrst.object+json' }],
    ['application/vnd.pgrst.plan', relationMedia(cache, projects, null, false), 'PGRST107: None of these media types are available: application/vnd.pgrst.plan+text; for="application/json"'],
  ];
  for (const [accept, ctx, expected] of cases) {
    it(`${accept}${ctx.defaultSelect ? '' : ' (select=)'}${ctx.planEnabled ? '' : ' (plans disabled)'}`, () => {
      assert.deepEqual(pick(accept, ctx), expected);
    });
  }
});
