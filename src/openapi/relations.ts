// Paths for tables and views: GET/POST/PATCH/DELETE as the relation and the role allow, with a
// row schema in components.schemas and one `rowFilter.<table>.<column>` parameter per column.
import type { Table } from '../schema-cache/types.js';
import { filterKey } from './keys.js';
import { contentRangeHeader } from './parameters.js';
import { columnSchema, requiredColumns } from './schema-types.js';
import { ref, splitComment, type DocContext, type JsonSchema, type Operation, type PathItem, type Ref } from './types.js';

export type Privilege = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';

const errorResponse = { default: ref('responses', 'error') };

/** Adds the row schema of `table` to the components; returns its $ref. */
function rowSchema(ctx: DocContext, table: Table): { ref: Ref; properties: Record<string, JsonSchema> } {
  const key = ctx.schemaKeys.key(table.name);
  const properties: Record<string, JsonSchema> = {};
  for (const c of table.columns) properties[c.name] = columnSchema(c, table.primaryKey.includes(c.name));
  const required = requiredColumns(table.columns);
  ctx.schemas[key] = {
    type: 'object',
    ...(table.comment ? { description: table.comment } : {}),
    ...(required.length > 0 ? { required } : {}),
    properties,
    'x-pg-relation': `${table.schema}.${table.name}`,
  };
  const r = ref('schemas', key);
  ctx.tableRefs.set(table.name, r);
  return { ref: r, properties };
}

/** One string query parameter per column, as PostgREST documents row filters: `id=eq.1`. */
function rowFilters(ctx: DocContext, table: Table, tableKey: string): Ref[] {
  return table.columns.map((c) => {
    const key = ctx.parameterKeys.key(`rowFilter.${tableKey}.${c.name}`);
    const pk = table.primaryKey.includes(c.name) ? ' (primary key)' : '';
    ctx.parameters[key] = {
      name: filterKey(c.name),
      in: 'query',
      required: false,
      schema: { type: 'string', 'x-pg-type': c.type },
      description: `Filter on \`${c.name}\`${pk}, type ${c.type}: \`operator.value\`, e.g. \`eq.x\`, \`in.(a,b)\`, \`is.null\`, \`not.like.*x*\`.${c.comment ? `\n\n${c.comment}` : ''}`,
    };
    return ref('parameters', key);
  });
}

function rowsContent(row: Ref) {
  return {
    'application/json': { schema: { type: 'array', items: row } },
    'application/vnd.pgrst.object+json': { schema: row },
    'text/csv': { schema: { type: 'string' } },
  };
}

/** The path item of one relation; `allowed(p)` says whether the documented role holds privilege p. */
export function relationPath(ctx: DocContext, table: Table, allowed: (p: Privilege) => boolean): PathItem {
  const { ref: row, properties } = rowSchema(ctx, table);
  const tKey = /[^/]+$/.exec(row.$ref)?.[0] ?? table.name;
  const filters = rowFilters(ctx, table, tKey);
  const { summary, description } = splitComment(table.comment, table.name);
  const tags = [table.name];
  const read = ctx.needsProfile ? [ref('parameters', 'acceptProfile')] : [];
  const write = ctx.needsProfile ? [ref('parameters', 'contentProfile')] : [];
  const op = (verb: string, what: string, rest: Omit<Operation, 'tags' | 'summary' | 'operationId' | 'description'>): Operation => ({
    tags, summary: `${what}: ${summary}`, ...(description ? { description } : {}), operationId: `${verb}_${tKey}`, ...rest,
  });
  const body = (schema: JsonSchema) => ({
    required: true,
    content: { 'application/json': { schema }, 'text/csv': { schema: { type: 'string' } } },
  });
  const representation = { description: 'The affected rows (with `Prefer: return=representation`).', content: rowsContent(row) };
  const noContent = { description: 'No Content (the default `Prefer: return=minimal`).' };
  const item: PathItem = {};
  if (allowed('SELECT')) {
    const page = { description: 'OK', headers: { 'Content-Range': contentRangeHeader }, content: rowsContent(row) };
    item.get = op('get', 'Read rows', {
      parameters: [...filters, ...['select', 'order', 'range', 'rangeUnit', 'offset', 'limit', 'preferGet'].map((k) => ref('parameters', k)), ...read],
      responses: { 200: page, 206: { ...page, description: 'Partial Content (a count showed more rows than this page)' }, ...errorResponse },
    });
  }
  if (table.insertable && allowed('INSERT')) {
    item.post = op('post', 'Create rows', {
      parameters: [...['select', 'columns', 'onConflict', 'preferPost'].map((k) => ref('parameters', k)), ...write],
      requestBody: body({ oneOf: [row, { type: 'array', items: row }] }),
      responses: { 201: { ...representation, description: 'Created' }, 204: noContent, ...errorResponse },
    });
  }
  if (table.updatable && allowed('UPDATE')) {
    item.patch = op('patch', 'Update rows', {
      parameters: [...filters, ...['select', 'preferPatch'].map((k) => ref('parameters', k)), ...write],
      // A PATCH body is partial: the same properties, none required.
      requestBody: body({ type: 'object', properties }),
      responses: { 200: representation, 204: noContent, ...errorResponse },
    });
  }
  if (table.deletable && allowed('DELETE')) {
    item.delete = op('delete', 'Delete rows', {
      parameters: [...filters, ...['select', 'preferDelete'].map((k) => ref('parameters', k)), ...write],
      responses: { 200: representation, 204: noContent, ...errorResponse },
    });
  }
  return item;
}
