// Pure tests of the OpenAPI generator and the docs page, over a hand-built schema cache:
// privileges per role, column → JSON Schema mapping, quoting of filter keys, document integrity.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { generateOpenApi } from '../../src/openapi/generate.js';
import { docsPage } from '../../src/openapi/docs-page.js';
import { docsScript } from '../../src/openapi/docs-script.js';
import { filterKey, KeyMaker } from '../../src/openapi/keys.js';
import { toSwagger2, wantsSwagger2 } from '../../src/openapi/swagger2.js';
import { parseAccept } from '../../src/request/headers.js';
import { columnSchema, literalDefault, typeSchema } from '../../src/openapi/schema-types.js';
import { parseQueryParams } from '../../src/request/query-params.js';
import { tableKey, type Column, type Func, type SchemaCache, type Table } from '../../src/schema-cache/types.js';

type Priv = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';

function col(name: string, baseType: string, over: Partial<Column> = {}): Column {
  return {
    name, type: baseType, baseType, category: 'S', nullable: true, default: null, generated: false,
    maxLength: null, enumValues: null, comment: null, position: 0, ...over,
  };
}

function table(schema: string, name: string, columns: Column[], privs: Record<string, Priv[]>, over: Partial<Table> = {}): Table {
  return {
    schema, name, kind: 'table', comment: null, insertable: true, updatable: true, deletable: true,
    columns, columnsByName: new Map(columns.map((c) => [c.name, c])), primaryKey: [],
    privileges: new Map(Object.entries(privs).map(([r, p]) => [r, new Set(p)])), rlsEnabled: false, ...over,
  };
}

function fn(name: string, over: Partial<Func> = {}): Func {
  return {
    schema: 'api', name, oid: 1, args: [], returnType: 'integer', returnsRelation: null, returnsSet: false,
    returnsComposite: false, returnsScalar: true, returnsVoid: false, volatility: 'v', rows: 1000,
    comment: null, settings: [], executableBy: new Set(['anon', 'admin']), ...over,
  };
}

const todos = table('api', 'todos', [
  col('id', 'uuid', { type: 'uuid', nullable: false, default: 'gen_random_uuid()' }),
  col('title', 'varchar', { type: 'character varying(80)', nullable: false, maxLength: 80, comment: 'What to do' }),
  col('done', 'bool', { type: 'boolean', nullable: false, default: 'false' }),
  col('prio', 'int4', { type: 'integer', default: "'3'::integer" }),
  col('tags', '_text', { type: 'text[]', category: 'A' }),
  col('meta', 'jsonb', { category: 'U' }),
  col('state', 'state', { category: 'E', enumValues: ['open', 'closed'] }),
  col('slug', 'text', { generated: true, nullable: false }),
  col('information.cpe', 'text'),
  col('Weird "Name"', 'text'),
  col('select', 'text'),
], { anon: ['SELECT'], admin: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] }, { primaryKey: ['id'], comment: 'Things to do\nOne row per task.' });
const secrets = table('api', 'secrets', [col('id', 'int4', { nullable: false })], { admin: ['SELECT'] });
const view = table('api', 'todo view', [col('id', 'int4')], { anon: ['SELECT', 'INSERT'] }, { kind: 'view', insertable: false, updatable: false, deletable: false });
const other = table('v2', 'todos', [col('id', 'int4')], { anon: ['SELECT'] });

const functions: Func[][] = [
  [fn('add', { volatility: 'i', comment: 'Adds\nTwo numbers.', args: [
    { name: 'a', type: 'integer', baseType: 'int4', hasDefault: false, variadic: false },
    { name: 'b', type: 'integer', baseType: 'int4', hasDefault: true, variadic: false },
  ] })],
  [fn('list_todos', { volatility: 's', returnsSet: true, returnsScalar: false, returnsComposite: true, returnType: 'todos', returnsRelation: { schema: 'api', name: 'todos' } })],
  [fn('admin_only', { executableBy: new Set(['admin']) })],
  [fn('on_change', { returnType: 'trigger' })],
  [fn('nothing', { returnsVoid: true, returnsScalar: false, returnType: 'void' })],
  [fn('overloaded', { volatility: 's', args: [{ name: 'x', type: 'integer', baseType: 'int4', hasDefault: false, variadic: false }] }),
    fn('overloaded', { volatility: 's', args: [{ name: 'x', type: 'text', baseType: 'text', hasDefault: false, variadic: false }, { name: 'y', type: 'text', baseType: 'text', hasDefault: false, variadic: false }] })],
  [fn('raw_json', { args: [{ name: '', type: 'json', baseType: 'json', hasDefault: false, variadic: false }] })],
];

// `as`: the snapshot grows fields (relationships, …) that the generator does not read.
const cache = {
  schemas: ['api', 'v2'],
  tables: new Map([todos, secrets, view, other].map((t) => [tableKey(t.schema, t.name), t])),
  functions: new Map(functions.map((f) => [tableKey('api', (f[0] as Func).name), f])),
  foreignKeys: [], viewColumnSources: [], roles: new Map(), timezones: new Set(), serverVersion: 170000, loadedAt: new Date(0),
  relationships: new Map(),
} as SchemaCache;

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const gen = (role: string | null, schema = 'api'): Doc => generateOpenApi(cache, { schema, role, serverUrl: 'http://localhost:3000' });

/** Every $ref points at something; operationIds are unique; component keys are valid. */
function checkIntegrity(doc: Doc): void {
  const refs: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) {
      if (k === '$ref') refs.push(x as string);
      else walk(x);
    }
  };
  walk(doc);
  for (const r of refs) {
    const target = r.replace(/^#\//, '').split('/').reduce<Doc | undefined>((o, p) => o?.[p], doc);
    assert.ok(target !== undefined, `dangling ${r}`);
  }
  const ids: string[] = [];
  for (const item of Object.values(doc.paths) as Doc[]) {
    for (const op of Object.values(item) as Doc[]) {
      ids.push(op.operationId);
      const params = ((op.parameters ?? []) as Doc[]).map((p) => (p.$ref ? r(doc, p.$ref) : p)).map((p: Doc) => `${p.in}:${p.name}`);
      assert.equal(new Set(params).size, params.length, `duplicate parameter in ${op.operationId}`);
    }
  }
  assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
  for (const section of Object.values(doc.components) as Doc[]) {
    for (const k of Object.keys(section)) assert.match(k, /^[a-zA-Z0-9._-]+$/);
  }
}
const r = (doc: Doc, ref: string): Doc => ref.replace(/^#\//, '').split('/').reduce<Doc>((o, p) => o[p], doc);

describe('generateOpenApi', () => {
  it('is an OpenAPI 3.0 document with servers, bearer security and the error shape', () => {
    const doc = gen('anon');
    assert.equal(doc.openapi, '3.0.3');
    assert.deepEqual(doc.servers, [{ url: 'http://localhost:3000' }]);
    assert.deepEqual(doc.components.securitySchemes.bearerAuth, { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A JWT whose `role` claim names the database role.' });
    assert.deepEqual(doc.security, [{ bearerAuth: [] }, {}]);
    assert.deepEqual(doc.components.schemas.PostgrestError.required, ['code', 'message']);
    checkIntegrity(doc);
    checkIntegrity(gen(null));
    checkIntegrity(gen('anon', 'v2'));
  });

  it('follows the role: only relations and verbs it holds privileges for', () => {
    const anon = gen('anon');
    assert.deepEqual(Object.keys(anon.paths).sort(), ['/', '/rpc/add', '/rpc/list_todos', '/rpc/nothing', '/rpc/overloaded', '/rpc/raw_json', '/todo%20view', '/todos']);
    assert.deepEqual(Object.keys(anon.paths['/todos']), ['get']);
    // A view that cannot take inserts gets no POST even with the privilege.
    assert.deepEqual(Object.keys(anon.paths['/todo%20view']), ['get']);
    const admin = gen('admin');
    assert.deepEqual(Object.keys(admin.paths['/todos']), ['get', 'post', 'patch', 'delete']);
    assert.ok(admin.paths['/secrets'] && admin.paths['/rpc/admin_only']);
    assert.equal(gen('nobody').paths['/todos'], undefined);
  });

  it('documents everything with role null (ignore-privileges), except trigger functions', () => {
    const doc = gen(null);
    assert.ok(doc.paths['/secrets'].get);
    assert.deepEqual(Object.keys(doc.paths['/todos']), ['get', 'post', 'patch', 'delete']);
    assert.ok(doc.paths['/rpc/admin_only']);
    assert.equal(doc.paths['/rpc/on_change'], undefined);
  });

  it('maps columns: types, formats, nullable, enum, maxLength, defaults, comments, PK note, required', () => {
    const s = gen('anon').components.schemas.todos;
    assert.deepEqual(s.required, ['title']);
    assert.equal(s.description, 'Things to do\nOne row per task.');
    assert.deepEqual(s.properties.id, { type: 'string', format: 'uuid', 'x-pg-type': 'uuid', description: 'Note:\nThis is a Primary Key.<pk/>' });
    assert.deepEqual(s.properties.title, { type: 'string', 'x-pg-type': 'character varying(80)', maxLength: 80, description: 'What to do' });
    assert.equal(s.properties.done.default, false);
    assert.equal(s.properties.prio.default, 3);
    assert.equal(s.properties.prio.nullable, true);
    assert.deepEqual(s.properties.tags.items, { type: 'string', 'x-pg-type': 'text' });
    assert.equal(s.properties.tags.type, 'array');
    assert.equal(s.properties.meta.type, undefined, 'jsonb accepts any JSON value');
    assert.deepEqual(s.properties.state.enum, ['open', 'closed']);
    assert.equal(s.properties.slug.readOnly, true);
  });

  it('summaries and descriptions come from COMMENTs (first line / rest)', () => {
    const doc = gen('admin');
    assert.equal(doc.paths['/todos'].get.summary, 'Read rows: Things to do');
    assert.equal(doc.paths['/todos'].get.description, 'One row per task.');
    assert.equal(doc.paths['/rpc/add'].post.summary, 'Adds');
    assert.equal(doc.paths['/rpc/add'].post.description, 'Two numbers.');
  });

  it('GET has row filters per column, select, order, Range, limit/offset and Prefer', () => {
    const doc = gen('admin');
    const params = (doc.paths['/todos'].get.parameters as Doc[]).map((p) => r(doc, p.$ref));
    const names = params.map((p) => p.name);
    for (const n of ['id', 'title', '"information.cpe"', '"Weird \\"Name\\""', '"select"', 'select', 'order', 'Range', 'Range-Unit', 'limit', 'offset', 'Prefer']) {
      assert.ok(names.includes(n), `missing ${n}`);
    }
    assert.deepEqual(Object.keys(doc.paths['/todos'].get.responses), ['200', '206', 'default']);
    assert.deepEqual(Object.keys(doc.paths['/todos'].get.responses['200'].content), ['application/json', 'application/vnd.pgrst.object+json', 'text/csv']);
  });

  it('POST takes one row or an array; PATCH takes a partial row', () => {
    const doc = gen('admin');
    const post = doc.paths['/todos'].post.requestBody.content['application/json'].schema;
    assert.deepEqual(post.oneOf[0], { $ref: '#/components/schemas/todos' });
    assert.deepEqual(post.oneOf[1], { type: 'array', items: { $ref: '#/components/schemas/todos' } });
    const patch = doc.paths['/todos'].patch.requestBody.content['application/json'].schema;
    assert.equal(patch.required, undefined);
    assert.ok(patch.properties.title);
  });

  it('RPC: POST always, GET only for stable/immutable; args, overloads, results', () => {
    const doc = gen('anon');
    const add = doc.paths['/rpc/add'];
    assert.deepEqual(add.post.requestBody.content['application/json'].schema.required, ['a']);
    assert.deepEqual(add.get.parameters.slice(0, 2).map((p: Doc) => [p.name, p.required]), [['a', true], ['b', false]]);
    assert.equal(add.post.responses['200'].content['application/json'].schema.type, 'integer');
    assert.equal(doc.paths['/rpc/nothing'].get, undefined, 'volatile: POST only');
    assert.ok(doc.paths['/rpc/nothing'].post.responses['204']);
    const list = doc.paths['/rpc/list_todos'].get.responses['200'].content['application/json'].schema;
    assert.deepEqual(list, { type: 'array', items: { $ref: '#/components/schemas/todos' } });
    const over = doc.paths['/rpc/overloaded'];
    assert.equal(over.post.requestBody.content['application/json'].schema.oneOf.length, 2);
    assert.deepEqual(over.get.parameters.slice(0, 2).map((p: Doc) => [p.name, p.required]), [['x', true], ['y', false]]);
    assert.ok(doc.paths['/rpc/raw_json'].post.requestBody.content['application/json']);
  });

  it('a non-default schema requires its profile headers', () => {
    const doc = gen('anon', 'v2');
    assert.deepEqual(Object.keys(doc.paths).sort(), ['/', '/todos']);
    const names = (doc.paths['/todos'].get.parameters as Doc[]).map((p) => r(doc, p.$ref).name);
    assert.ok(names.includes('Accept-Profile'));
    assert.deepEqual(doc.components.parameters.acceptProfile.schema.enum, ['v2']);
    assert.equal(gen('anon').components.parameters.acceptProfile, undefined);
  });
});

describe('Swagger 2.0 for legacy clients', () => {
  const doc = toSwagger2(gen('admin')) as Doc;
  const text = JSON.stringify(doc);

  it('is asked for with a version parameter on the OpenAPI media type only', () => {
    assert.equal(wantsSwagger2(parseAccept('application/openapi+json;version=2.0')), true);
    assert.equal(wantsSwagger2(parseAccept('application/openapi+json; version="2"')), true);
    assert.equal(wantsSwagger2(parseAccept('application/openapi+json')), false);
    assert.equal(wantsSwagger2(parseAccept('*/*')), false);
    assert.equal(wantsSwagger2(parseAccept('application/openapi+json;version=3.0')), false);
  });

  it('has Swagger 2 structure: host, basePath, definitions, body parameters, no OpenAPI 3 keywords', () => {
    assert.equal(doc.swagger, '2.0');
    assert.equal(doc.host, 'localhost:3000');
    assert.equal(doc.basePath, '/');
    assert.deepEqual(doc.schemes, ['http']);
    assert.ok(doc.definitions.todos.properties.title);
    assert.doesNotMatch(text, /"(openapi|components|requestBody|oneOf|nullable|content)":/);
    assert.equal(doc.definitions.todos.properties.prio['x-nullable'], true);
    const body = (doc.paths['/todos'].post.parameters as Doc[]).find((p) => p.in === 'body');
    assert.deepEqual(body, { name: 'todos', in: 'body', required: true, schema: { $ref: '#/definitions/todos' } });
    const args = (doc.paths['/rpc/add'].post.parameters as Doc[]).find((p) => p.in === 'body');
    assert.equal(args?.name, 'args');
    assert.deepEqual(doc.parameters['rowFilter.todos.title'], { name: 'title', in: 'query', required: false, type: 'string', 'x-pg-type': 'character varying(80)', description: doc.parameters['rowFilter.todos.title'].description });
    assert.equal(doc.responses.error.schema.$ref, '#/definitions/PostgrestError');
    assert.equal(doc.securityDefinitions.bearerAuth.in, 'header');
  });

  it('every $ref resolves inside the Swagger 2 document', () => {
    for (const m of text.matchAll(/"\$ref":"([^"]+)"/g)) {
      const target = (m[1] as string).replace(/^#\//, '').split('/').reduce<Doc | undefined>((o, p) => o?.[p], doc);
      assert.ok(target !== undefined, `dangling ${m[1]}`);
    }
  });

  it('a malformed server URL falls back instead of failing', () => {
    const odd = toSwagger2({ ...gen('anon'), servers: [{ url: 'http://a b' }] }) as Doc;
    assert.equal(odd.host, 'localhost:3000');
  });
});

describe('names', () => {
  it('filterKey quotes what the query grammar would misread, and the grammar reads it back', () => {
    const cases: [string, string][] = [
      ['id', 'id'], ['first name', 'first name'], ['ümlaut', 'ümlaut'], ['information.cpe', '"information.cpe"'],
      ['a,b', '"a,b"'], ['Weird "Name"', '"Weird \\"Name\\""'], ['back\\slash', '"back\\\\slash"'], ['select', '"select"'],
      ['a->b', '"a->b"'], ['x:y', '"x:y"'], [' padded ', '" padded "'],
    ];
    for (const [column, key] of cases) {
      assert.equal(filterKey(column), key);
      const parsed = parseQueryParams(new URLSearchParams([[key, 'eq.1']])).filters[0]?.parsed;
      assert.ok(parsed && 'field' in parsed && parsed.field.name === column.trim() || column === ' padded ', `round trip of ${column}`);
    }
  });

  it('KeyMaker sanitises and de-duplicates component keys', () => {
    const k = new KeyMaker();
    assert.equal(k.key('todos'), 'todos');
    assert.equal(k.key('a b'), 'a_b');
    assert.equal(k.key('a_b'), 'a_b_2');
    assert.equal(k.key(''), '_');
  });

  it('literalDefault keeps literals and drops expressions', () => {
    assert.equal(literalDefault("'draft'::text", 'string'), 'draft');
    assert.equal(literalDefault("'it''s'::character varying", 'string'), "it's");
    assert.equal(literalDefault('42', 'integer'), 42);
    assert.equal(literalDefault('(-1)', 'integer'), -1);
    assert.equal(literalDefault("'1.5'::numeric", 'number'), 1.5);
    assert.equal(literalDefault('true', 'boolean'), true);
    assert.equal(literalDefault('now()', 'string'), undefined);
    assert.equal(literalDefault("nextval('s'::regclass)", 'integer'), undefined);
  });

  it('standard formats only where PostgreSQL writes them that way', () => {
    assert.equal(typeSchema('timestamptz', 'timestamp with time zone').format, 'date-time');
    for (const t of ['timestamp', 'time', 'timetz', 'interval', 'bytea', 'numeric']) assert.equal(typeSchema(t, t).format, undefined, t);
    assert.deepEqual(typeSchema('int8', 'bigint'), { type: 'integer', format: 'int64', 'x-pg-type': 'bigint' });
    assert.deepEqual(typeSchema('_int4', 'integer[]'), { type: 'array', items: { type: 'integer', format: 'int32', 'x-pg-type': 'integer' }, 'x-pg-type': 'integer[]' });
  });

  it('composite columns are objects', () => {
    assert.equal(columnSchema(col('addr', 'address', { category: 'C' }), false).type, 'object');
  });
});

describe('docsPage', () => {
  const html = docsPage();
  it('is self-contained: no external scripts, styles or fonts', () => {
    assert.doesNotMatch(html, /(src|href)=["']?(https?:)?\/\//);
    assert.doesNotMatch(html, /@import|url\(/);
    assert.match(html, /Content-Security-Policy/);
    assert.match(html, /connect-src 'self'/);
  });
  it('the CSP allows exactly the own script and stylesheet of the page, by hash', () => {
    const csp = /content="([^"]+)"/.exec(html.slice(html.indexOf('Content-Security-Policy')))?.[1] ?? '';
    const hash = (t: string) => `'sha256-${createHash('sha256').update(t).digest('base64')}'`;
    const script = /<script>([\s\S]*)<\/script>/.exec(html)?.[1] ?? '';
    const style = /<style>([\s\S]*)<\/style>/.exec(html)?.[1] ?? '';
    assert.match(csp, new RegExp(`script-src ${hash(script).replace(/[+/]/g, '\\$&')};`));
    assert.match(csp, new RegExp(`style-src ${hash(style).replace(/[+/]/g, '\\$&')};`));
    assert.doesNotMatch(csp, /unsafe/);
    assert.doesNotMatch(html, /\sstyle=|\son[a-z]+=/);
  });
  it('fetches the OpenAPI document from the same origin, under the path the page was reached at', () => {
    assert.match(docsScript, /fetch\(apiUrl\('\/'\), \{ headers: \{ Accept: 'application\/openapi\+json' \} \}\)/);
    assert.match(docsScript, /var base = location\.pathname/);
  });
  it('has a try-it form with method, path, headers, body and a result view', () => {
    for (const part of ['Path and query', 'Headers', 'Body', 'Send', 'status', 'Authorization: Bearer ']) assert.ok(docsScript.includes(part), part);
  });
  it('renders database text as text, never as HTML', () => {
    assert.doesNotMatch(docsScript, /innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
  });
  it('the script compiles', () => {
    assert.doesNotThrow(() => new Function(docsScript));
  });
});
