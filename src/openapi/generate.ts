// SchemaCache → OpenAPI 3 document (placeholder replaced by the OpenAPI module).
import type { SchemaCache } from '../schema-cache/types.js';

export interface OpenApiOptions {
  readonly schema: string;
  /** Only what this role may use; null: everything (openapi-mode=ignore-privileges). */
  readonly role: string | null;
  readonly serverUrl: string;
}

export function generateOpenApi(cache: SchemaCache, opts: OpenApiOptions): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const t of cache.tables.values()) if (t.schema === opts.schema) paths[`/${t.name}`] = {};
  return { openapi: '3.0.3', info: { title: 'PeSquel API', version: '0.1.0' }, servers: [{ url: opts.serverUrl }], paths };
}
