// Swagger 2.0 for legacy clients, derived from the OpenAPI 3 document: what PostgREST serves,
// for tools that never learned OpenAPI 3. Asked for explicitly with
// `Accept: application/openapi+json;version=2.0` (plain application/openapi+json gets OpenAPI 3).
import { swagger2SecurityDefinitions } from './security.js';
import type { MediaType } from '../request/types.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** True when the first Accept entry naming OpenAPI asks for version 2 (2 or 2.0). */
export function wantsSwagger2(accept: readonly MediaType[]): boolean {
  const m = accept.find((x) => x.type === 'application/openapi+json');
  return m !== undefined && /^2(\.0)?$/.test(m.params.version ?? '');
}

const refTargets: Record<string, string> = {
  '#/components/schemas/': '#/definitions/',
  '#/components/parameters/': '#/parameters/',
  '#/components/responses/': '#/responses/',
};

function rewriteRef(ref: string): string {
  for (const [from, to] of Object.entries(refTargets)) if (ref.startsWith(from)) return to + ref.slice(from.length);
  return ref;
}

/** A JSON Schema in Swagger 2's dialect: `nullable` → `x-nullable`, `oneOf` → its first branch. */
function schema(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(schema);
  if (!isObj(s)) return s;
  if (Array.isArray(s.oneOf)) return schema(s.oneOf[0]);
  const out: Obj = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === '$ref' && typeof v === 'string') out.$ref = rewriteRef(v);
    else if (k === 'nullable') out['x-nullable'] = v;
    else if (k === 'properties' && isObj(v)) out[k] = Object.fromEntries(Object.entries(v).map(([p, x]) => [p, schema(x)]));
    else if (k === 'example' || k === 'default' || k === 'enum') out[k] = v;
    else out[k] = schema(v);
  }
  return out;
}

/** Non-body parameters carry their type inline in Swagger 2. */
function parameter(p: unknown): unknown {
  if (!isObj(p)) return p;
  if (typeof p.$ref === 'string') return { $ref: rewriteRef(p.$ref) };
  const { schema: s, example: _example, style: _style, explode, ...rest } = p;
  const inline = (isObj(s) ? schema(s) : {}) as Obj;
  return { ...rest, ...inline, ...(explode ? { collectionFormat: 'multi' } : {}) };
}

function response(r: unknown): unknown {
  if (!isObj(r)) return r;
  if (typeof r.$ref === 'string') return { $ref: rewriteRef(r.$ref) };
  const content = isObj(r.content) ? r.content : {};
  const first = (content['application/json'] ?? Object.values(content)[0]) as Obj | undefined;
  const headers = isObj(r.headers)
    ? Object.fromEntries(Object.entries(r.headers).map(([k, h]) => [k, { type: 'string', description: isObj(h) ? h.description : undefined }]))
    : undefined;
  return { description: r.description ?? '', ...(first?.schema ? { schema: schema(first.schema) } : {}), ...(headers ? { headers } : {}) };
}

function operation(op: Obj, path: string): Obj {
  const { requestBody, responses, parameters, ...rest } = op;
  const params = (Array.isArray(parameters) ? parameters : []).map(parameter);
  const out: Obj = { ...rest, parameters: params };
  const produces = new Set<string>();
  if (isObj(responses)) {
    out.responses = Object.fromEntries(Object.entries(responses).map(([code, r]) => [code, response(r)]));
    for (const r of Object.values(responses)) if (isObj(r) && isObj(r.content)) Object.keys(r.content).forEach((t) => produces.add(t));
  }
  if (produces.size > 0) out.produces = [...produces];
  if (isObj(requestBody) && isObj(requestBody.content)) {
    const types = Object.keys(requestBody.content);
    const first = requestBody.content[types[0] as string] as Obj;
    // PostgREST names the body `args` for functions and after the table otherwise.
    const name = path.startsWith('/rpc/') ? 'args' : decodeURIComponent(path.slice(1));
    params.push({ name, in: 'body', required: requestBody.required === true, schema: schema(first.schema) });
    out.consumes = types;
  }
  return out;
}

/** The server URL comes from Host/X-Forwarded-* headers: a malformed one falls back to localhost. */
function parseUrl(server: string): URL {
  try {
    return new URL(server);
  } catch {
    return new URL('http://localhost:3000');
  }
}

/** The Swagger 2.0 form of a document built by generateOpenApi. */
export function toSwagger2(doc: Obj): Obj {
  const server = Array.isArray(doc.servers) && isObj(doc.servers[0]) ? String(doc.servers[0].url) : 'http://localhost:3000';
  const url = parseUrl(server);
  const components = (isObj(doc.components) ? doc.components : {}) as Obj;
  const section = (k: string, f: (v: unknown) => unknown) =>
    Object.fromEntries(Object.entries(isObj(components[k]) ? components[k] : {}).map(([n, v]) => [n, f(v)]));
  const paths = Object.fromEntries(Object.entries(isObj(doc.paths) ? doc.paths : {}).map(([p, item]) => [
    p, Object.fromEntries(Object.entries(isObj(item) ? item : {}).map(([verb, op]) => [verb, operation(op as Obj, p)])),
  ]));
  return {
    swagger: '2.0',
    info: doc.info,
    host: url.host,
    basePath: url.pathname.replace(/\/$/, '') || '/',
    schemes: [url.protocol.replace(':', '')],
    consumes: ['application/json', 'application/vnd.pgrst.object+json', 'text/csv'],
    produces: ['application/json', 'application/vnd.pgrst.object+json', 'text/csv'],
    tags: doc.tags,
    paths,
    definitions: section('schemas', schema),
    parameters: section('parameters', parameter),
    responses: section('responses', response),
    securityDefinitions: swagger2SecurityDefinitions(components.securitySchemes),
    security: doc.security,
    'x-pesquel-schema': doc['x-pesquel-schema'],
  };
}
