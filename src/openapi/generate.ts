// SchemaCache → OpenAPI 3.0 document for one exposed schema, as one role sees it.
// Example: generateOpenApi(cache, { schema: 'api', role: 'api_anon', serverUrl: 'http://localhost:3000' })
//   → { openapi: '3.0.3', paths: { '/todos': { get, post, patch, delete }, '/rpc/f': { post } }, components: … }
import type { Func, SchemaCache, Table } from '../schema-cache/types.js';
import { version } from '../version.js';
import { functionPath } from './functions.js';
import { KeyMaker } from './keys.js';
import { commonParameters, errorSchema, profileParameters } from './parameters.js';
import { authPaths, type AuthDocOptions } from './auth-paths.js';
import { addNestedBodies } from './nested-bodies.js';
import { relationPath, type Privilege } from './relations.js';
import { ref, type DocContext, type PathItem } from './types.js';
import { documentSecurity, securitySchemes } from './security.js';

export interface OpenApiOptions {
  readonly schema: string;
  /** Only what this role may use; null: everything (openapi-mode=ignore-privileges). */
  readonly role: string | null;
  readonly serverUrl: string;
  /** The built-in auth service's endpoints, when auth-enabled. */
  readonly authService?: AuthDocOptions | null;
  /** openapi-security-active: PostgREST's `JWT` scheme, required by every operation (security.ts). */
  readonly securityActive?: boolean;
}

const uncallable = new Set(['trigger', 'event_trigger']);

function tablesOf(cache: SchemaCache, opts: OpenApiOptions): Table[] {
  return [...cache.tables.values()]
    .filter((t) => t.schema === opts.schema)
    .filter((t) => opts.role === null || (t.privileges.get(opts.role)?.size ?? 0) > 0)
    .sort((a, b) => a.name.localeCompare(b.name));
}

function functionsOf(cache: SchemaCache, opts: OpenApiOptions): Func[][] {
  return [...cache.functions.values()]
    .map((fns) => fns.filter((f) => f.schema === opts.schema && !uncallable.has(f.returnType))
      .filter((f) => opts.role === null || f.executableBy.has(opts.role)))
    .filter((fns) => fns.length > 0)
    .sort((a, b) => (a[0] as Func).name.localeCompare((b[0] as Func).name));
}

export function generateOpenApi(cache: SchemaCache, opts: OpenApiOptions): Record<string, unknown> {
  const needsProfile = cache.schemas.length > 1 && cache.schemas[0] !== opts.schema;
  const schemaKeys = new KeyMaker();
  const errorKey = schemaKeys.key('PostgrestError');
  const ctx: DocContext = {
    schemas: {},
    parameters: { ...commonParameters, ...(needsProfile ? profileParameters(opts.schema) : {}) },
    schemaKeys,
    parameterKeys: new KeyMaker(),
    functionKeys: new KeyMaker(),
    tableRefs: new Map(),
    needsProfile,
  };
  ctx.schemas[errorKey] = errorSchema;

  const paths: Record<string, PathItem | Record<string, unknown>> = {
    '/': {
      get: {
        tags: ['Introspection'], summary: 'This OpenAPI description', operationId: 'openapi',
        responses: { 200: { description: 'OK', content: { 'application/openapi+json': { schema: { type: 'object' } } } } },
      },
    },
  };
  const tags: { name: string; description?: string }[] = [];
  const tables = tablesOf(cache, opts);
  for (const t of tables) {
    const privs = t.privileges.get(opts.role ?? '');
    const allowed = (p: Privilege) => opts.role === null || (privs?.has(p) ?? false);
    paths[`/${encodeURIComponent(t.name)}`] = relationPath(ctx, t, allowed);
    tags.push({ name: t.name, ...(t.comment ? { description: t.comment } : {}) });
  }
  addNestedBodies(ctx, cache, tables, paths);
  for (const fns of functionsOf(cache, opts)) {
    paths[`/rpc/${encodeURIComponent((fns[0] as Func).name)}`] = functionPath(ctx, fns);
  }
  // Once, in the default schema's document: the auth endpoints are the same under every profile.
  if (opts.authService && !needsProfile) {
    Object.assign(paths, authPaths(opts.authService, errorKey));
    tags.push({ name: 'Auth', description: 'The built-in sign-in service: accounts, sessions and the tokens the API accepts.' });
  }

  return {
    openapi: '3.0.3',
    info: {
      title: 'PeSquel API',
      version,
      description: `The \`${opts.schema}\` schema as a PostgREST-compatible REST API. Filter rows with \`?column=operator.value\`, `
        + 'choose columns with `select`, page with `limit`/`offset` or the `Range` header; errors have the shape `{code, details, hint, message}`.',
    },
    servers: [{ url: opts.serverUrl }],
    tags,
    paths,
    components: {
      schemas: ctx.schemas,
      parameters: ctx.parameters,
      responses: { error: { description: 'Error', content: { 'application/json': { schema: ref('schemas', errorKey) } } } },
      securitySchemes: securitySchemes(opts.securityActive === true),
    },
    security: documentSecurity(opts.securityActive === true),
    'x-pesquel-schema': opts.schema,
  };
}
