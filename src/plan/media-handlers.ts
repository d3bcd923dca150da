// Custom media-type handlers (PostgREST's media handlers): which handler serves an Accept entry for
// a relation or a function, in PostgREST's order — the target's own `*/*` handler, then its handler
// for that media type (both only without `select=`), then an `anyelement` handler for that type.
// Example: `create aggregate api.tsv_agg(api.todos) (… stype = "text/tab-separated-values")`
//   GET /todos, Accept: text/tab-separated-values → { kind: 'handler', aggregate: api.tsv_agg, castTo: api.todos }
import type { MediaHandler, SchemaCache } from '../schema-cache/types.js';
import type { OutputMedia } from './types.js';

export type HandlerTarget =
  | { readonly kind: 'relation'; readonly schema: string; readonly name: string }
  | {
      readonly kind: 'function';
      readonly schema: string;
      readonly name: string;
      readonly returnsRelation: { readonly schema: string; readonly name: string } | null;
      readonly scalar: boolean;
    };

/** Content types PostgREST sends with a charset (its own media types); others go as they are named. */
const withCharset = new Set(['application/json', 'application/geo+json', 'text/csv', 'text/plain', 'text/xml', 'application/openapi+json']);

export function handlerContentType(resolvedType: string): string {
  return withCharset.has(resolvedType) ? `${resolvedType}; charset=utf-8` : resolvedType;
}

const sameName = (a: { schema: string; name: string } | null, schema: string, name: string) =>
  a !== null && a.schema === schema && a.name === name;

export function findHandler(cache: SchemaCache, target: HandlerTarget, mediaType: string, defaultSelect: boolean): OutputMedia | null {
  const handlers = cache.mediaHandlers ?? [];
  if (handlers.length === 0) return null;
  const own = (h: MediaHandler): boolean => {
    if (target.kind === 'relation') return h.kind === 'aggregate' && sameName(h.target, target.schema, target.name);
    if (h.kind === 'function') return sameName(h.target, target.schema, target.name);
    return target.returnsRelation !== null && sameName(h.target, target.returnsRelation.schema, target.returnsRelation.name);
  };
  const pick = (pred: (h: MediaHandler) => boolean) => handlers.find(pred) ?? null;
  const found =
    (defaultSelect ? pick((h) => own(h) && h.mediaType === '*/*') : null)
    ?? (defaultSelect ? pick((h) => own(h) && h.mediaType === mediaType) : null)
    ?? pick((h) => h.kind === 'aggregate' && h.target === null && h.mediaType === mediaType);
  return found === null ? null : toMedia(found, target);
}

function toMedia(h: MediaHandler, target: HandlerTarget): OutputMedia {
  const scalarColumn = target.kind === 'function' && target.scalar ? target.name : null;
  if (h.kind === 'function') {
    return { kind: 'handler', contentType: handlerContentType(h.resolvedType), aggregate: null, castTo: null, column: target.name, binary: h.binary };
  }
  return {
    kind: 'handler',
    contentType: handlerContentType(h.resolvedType),
    aggregate: { schema: h.schema, name: h.name },
    castTo: scalarColumn === null ? h.target : null,
    column: scalarColumn,
    binary: h.binary,
  };
}
