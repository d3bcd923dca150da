// Nested insert request bodies in the OpenAPI document: a POST body of a relation with writable
// relationships may also hold them (the names `select=` embedding accepts), each an object or an
// array of the related relation's insert body; the body's `example` shows one, for the docs' form.
// Example: /orders → components.schemas["orders.nested"] = { properties: { title, …, order_lines:
//   { type: 'array', items: { $ref: '#/components/schemas/order_lines' } } } }, example
//   { "title": "text", "order_lines": [{ "sku": "text", "qty": 1 }] }
import { tableKey, type Relationship, type SchemaCache, type Table } from '../schema-cache/types.js';
import { requiredColumns } from './schema-types.js';
import { ref, type DocContext, type JsonSchema, type PathItem, type Ref } from './types.js';

type Writable = Extract<Relationship, { kind: 'fk' | 'm2m' }>;
interface Rel { readonly key: string; readonly rel: Writable; readonly target: Table }

const samples: Record<string, unknown> = { integer: 1, number: 1, boolean: false, string: 'text' };

/** The writable relationships of `t` to documented relations, keyed by the body key that names them. */
function relationshipsOf(cache: SchemaCache, t: Table, documented: ReadonlyMap<string, Table>): Rel[] {
  const rels = (cache.relationships.get(tableKey(t.schema, t.name)) ?? [])
    .filter((r): r is Writable => r.kind !== 'computed' && documented.has(r.foreignTable.name) && r.foreignTable.schema === t.schema)
    .filter((r) => r.kind !== 'm2m' || documented.has(r.junction.name));
  const count = (name: string) => rels.filter((r) => r.foreignTable.name === name).length;
  return rels
    .map((rel) => {
      const name = rel.foreignTable.name;
      // Several relationships to one relation: the `!hint` select= would need too.
      const key = count(name) === 1 ? name : `${name}!${rel.kind === 'm2m' ? rel.junction.name : rel.constraint}`;
      return { key, rel, target: documented.get(name) as Table };
    })
    .filter((r) => !t.columnsByName.has(r.key));
}

function describe(t: Table, r: Rel): string {
  const target = r.target.name;
  if (r.rel.kind === 'm2m') return `Many-to-many through \`${r.rel.junction.name}\`: each object creates a \`${target}\` row and the link; an object holding only the primary key links an existing row.`;
  const cols = r.rel.columns.map(([o]) => o).join(', ');
  return r.rel.isParent
    ? `To-many: \`${target}\` rows created with their foreign key (${r.rel.columns.map(([, f]) => f).join(', ')}) set to the new \`${t.name}\` row.`
    : `To-one: the \`${target}\` row is created first and ${cols} set to its key; an object holding only its primary key connects an existing row.`;
}

/** A row to send: the required columns with sample values (and, `depth` permitting, one relationship). */
function example(t: Table, rels: ReadonlyMap<string, Rel[]>, ctx: DocContext, depth: number, setByParent: readonly string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const required = requiredColumns(t.columns).filter((c) => !setByParent.includes(c));
  const row = ctx.schemas[ctx.tableRefs.get(t.name)?.$ref.split('/').pop() ?? ''] as { properties?: Record<string, JsonSchema> } | undefined;
  for (const c of t.columns) {
    if (!required.includes(c.name)) continue;
    const type = row?.properties?.[c.name]?.type;
    out[c.name] = samples[typeof type === 'string' ? type : 'string'] ?? 'text';
  }
  const first = (rels.get(t.name) ?? []).find((r) => r.rel.kind === 'fk' && r.rel.isParent) ?? rels.get(t.name)?.[0];
  if (first !== undefined && depth > 0) {
    const fk = first.rel.kind === 'fk' && first.rel.isParent ? first.rel.columns.map(([, c]) => c) : [];
    const child = example(first.target, rels, ctx, depth - 1, fk);
    out[first.key] = first.rel.kind === 'fk' && !first.rel.isParent ? child : [child];
  }
  return out;
}

/** Adds `<table>.nested` schemas and points the POST bodies of relations with relationships at them. */
export function addNestedBodies(ctx: DocContext, cache: SchemaCache, tables: readonly Table[], paths: Record<string, PathItem | Record<string, unknown>>): void {
  const documented = new Map(tables.filter((t) => ctx.tableRefs.has(t.name)).map((t) => [t.name, t]));
  const rels = new Map(tables.map((t) => [t.name, relationshipsOf(cache, t, documented)] as const).filter(([, r]) => r.length > 0));
  const nestedRefs = new Map<string, Ref>([...rels.keys()].map((name) => [name, ref('schemas', ctx.schemaKeys.key(`${name}.nested`))]));
  const bodyRef = (name: string) => nestedRefs.get(name) ?? (ctx.tableRefs.get(name) as Ref);
  for (const [name, list] of rels) {
    const t = documented.get(name) as Table;
    const rowKey = ctx.tableRefs.get(name)?.$ref.split('/').pop() ?? '';
    const row = ctx.schemas[rowKey] as { properties?: Record<string, JsonSchema>; required?: string[] };
    const properties: Record<string, JsonSchema> = { ...row.properties };
    for (const r of list) {
      const target = bodyRef(r.target.name);
      const toOne = r.rel.kind === 'fk' && !r.rel.isParent;
      properties[r.key] = toOne ? { oneOf: [target], nullable: true, description: describe(t, r) } : { type: 'array', items: target, description: describe(t, r) };
    }
    const key = (nestedRefs.get(name) as Ref).$ref.split('/').pop() as string;
    ctx.schemas[key] = {
      type: 'object',
      description: `A \`${name}\` row to create, with related rows created in the same request (a nested insert).`,
      ...(row.required ? { required: row.required } : {}),
      properties,
    };
    const post = (paths[`/${encodeURIComponent(name)}`] as PathItem | undefined)?.post;
    const json = post?.requestBody?.content['application/json'];
    if (json === undefined) continue;
    json.schema = { oneOf: [bodyRef(name), { type: 'array', items: bodyRef(name) }] };
    json.example = example(t, rels, ctx, 2);
  }
}
