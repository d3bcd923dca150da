// Content-Type and body decoding of the media types beyond JSON/CSV (geo+json, raw, handlers).
import { handlerContentType } from '../plan/media-handlers.js';
import type { OutputMedia } from '../plan/types.js';

/** The Content-Type of an extra media type, or null for the built-in ones. */
export function extraContentType(media: OutputMedia): string | null {
  switch (media.kind) {
    case 'geojson': return 'application/geo+json; charset=utf-8';
    case 'raw': return handlerContentType(media.mediaType);
    case 'handler': return media.contentType;
    default: return null;
  }
}

/** A binary body arrives base64-encoded (sql/media-body.ts) and leaves as its bytes. */
export function decodeBody(media: OutputMedia, body: string): string | Buffer {
  return (media.kind === 'raw' || media.kind === 'handler') && media.binary ? Buffer.from(body, 'base64') : body;
}
