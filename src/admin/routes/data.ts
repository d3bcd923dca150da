// The data grid's API: pages with sorting and filters, one-row insert/update/delete whose SQL is
// shown first (preview) and then run exactly as shown (apply), CSV export and import.
import { render, renderInline } from '../../sql/sql.js';
import { AdminError } from '../errors.js';
import type { AdminDeps } from '../deps.js';
import { field, type Route } from '../http-kit.js';
import type { AdminConn } from '../db/admin-db.js';
import { countRows, filterOps, insertMany, rowChange, selectPage, type GridQuery, type GridTable, type RowChange } from '../grid-sql.js';
import { csvLine, CsvError, parseCsv } from '../csv.js';

const tableSql = /* sql */ `
SELECT c.oid::int AS oid,
  (SELECT json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod)) ORDER BY a.attnum)
   FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)::text AS columns,
  coalesce((SELECT json_agg(a.attname ORDER BY k.ord) FROM pg_index i, unnest(i.indkey) WITH ORDINALITY k(num, ord)
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.num
            WHERE i.indrelid = c.oid AND i.indisprimary), '[]')::text AS primary_key
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r','p','v','m','f')`;

interface LoadedTable extends GridTable { readonly types: readonly string[] }

async function loadTable(c: AdminConn, schema: string, name: string): Promise<LoadedTable> {
  const [row] = await c.rows<{ columns: string | null; primary_key: string }>(tableSql, [schema, name]);
  if (!row) throw new AdminError(404, 'not-found', `no table ${schema}.${name}`);
  const cols = JSON.parse(row.columns ?? '[]') as { name: string; type: string }[];
  return { schema, name, columns: cols.map((x) => x.name), types: cols.map((x) => x.type), primaryKey: JSON.parse(row.primary_key) as string[] };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The grid's paging, sorting and filters from a request, checked: a wrong shape is a 400. */
function gridQuery(body: unknown): GridQuery {
  if (!isObject(body)) throw new AdminError(400, 'bad-query', 'the grid query must be a JSON object');
  const limit = Math.min(Math.max(Number(body.limit ?? 50) | 0, 1), 1000);
  const offset = Math.max(Number(body.offset ?? 0) | 0, 0);
  const sort = Array.isArray(body.sort) ? body.sort as unknown[] : [];
  const filters = Array.isArray(body.filters) ? body.filters as unknown[] : [];
  for (const s of sort) {
    if (!isObject(s) || typeof s.column !== 'string') throw new AdminError(400, 'bad-sort', 'each sort needs a "column"');
  }
  for (const f of filters) {
    if (!isObject(f) || typeof f.column !== 'string') throw new AdminError(400, 'bad-filter', 'each filter needs a "column"');
    if (typeof f.op !== 'string' || !Object.hasOwn(filterOps, f.op)) throw new AdminError(400, 'bad-filter', `unknown filter operator "${String(f.op)}"`);
    if (f.value !== undefined && f.value !== null && typeof f.value !== 'string') throw new AdminError(400, 'bad-filter', 'a filter value must be a string or null');
  }
  return { limit, offset, sort: sort as GridQuery['sort'], filters: filters as GridQuery['filters'] };
}

/** The export's q= parameter: the grid query as JSON (absent: the whole table). */
function exportQuery(text: string | null): GridQuery {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text ?? '{}');
  } catch {
    throw new AdminError(400, 'bad-query', 'q= must be the grid query as JSON');
  }
  return gridQuery(parsed);
}

const rowArray = (t: GridTable, r: Record<string, string | null>) => t.columns.map((c) => r[c] ?? null);

function parseChange(body: Record<string, unknown>): RowChange {
  const change = body.change as RowChange | undefined;
  if (!change || !['insert', 'update', 'delete'].includes(change.op)) throw new AdminError(400, 'bad-change', 'change.op must be insert, update or delete');
  return change;
}

export function dataRoutes(d: AdminDeps): Route[] {
  return [
    {
      method: 'POST', path: '/api/data/rows', role: 'viewer',
      handler: async (ctx) => {
        const body = await ctx.json();
        const q = gridQuery(body);
        return {
          json: await d.adb.use(async (c) => {
            const t = await loadTable(c, field(body, 'schema'), field(body, 'table'));
            const page = render(selectPage(t, q));
            const rows = await c.rows(page.text, page.values);
            const count = render(countRows(t, q.filters));
            const [total] = await c.rows<{ count: string }>(count.text, count.values);
            return {
              columns: t.columns.map((name, i) => ({ name, type: t.types[i] })), primaryKey: t.primaryKey,
              rows: rows.map((r) => rowArray(t, r)), total: Number(total?.count ?? 0), sql: renderInline(selectPage(t, q)),
            };
          }),
        };
      },
    },
    {
      method: 'POST', path: '/api/data/preview', role: 'viewer',
      handler: async (ctx) => {
        const body = await ctx.json();
        const t = await d.adb.use((c) => loadTable(c, field(body, 'schema'), field(body, 'table')));
        return { json: { sql: renderInline(rowChange(t, parseChange(body))) } };
      },
    },
    {
      method: 'POST', path: '/api/data/apply',
      handler: async (ctx) => {
        const body = await ctx.json();
        const change = parseChange(body);
        return {
          json: await d.adb.use(async (c) => {
            const t = await loadTable(c, field(body, 'schema'), field(body, 'table'));
            const stmt = rowChange(t, change);
            const { text, values } = render(stmt);
            await c.query('BEGIN');
            const r = await c.query(text, values);
            // A key that matched no row (changed meanwhile) or several must not change anything.
            if (change.op !== 'insert' && r.rowCount !== 1) {
              await c.query('ROLLBACK');
              throw new AdminError(409, 'row-count', `the statement would change ${r.rowCount} rows instead of 1: nothing was changed`);
            }
            await c.query('COMMIT');
            await d.audit.record(ctx, { action: `grid.${change.op}`, sql: renderInline(stmt), rows: r.rowCount, detail: `${t.schema}.${t.name}` }, c);
            return { sql: renderInline(stmt), row: r.rows[0] ? rowArray(t, r.rows[0]) : null };
          }),
        };
      },
    },
    {
      method: 'GET', path: '/api/data/export',
      handler: async (ctx) => {
        const schema = ctx.url.searchParams.get('schema') ?? '';
        const table = ctx.url.searchParams.get('table') ?? '';
        const q = exportQuery(ctx.url.searchParams.get('q'));
        const t = await d.adb.use((c) => loadTable(c, schema, table));
        let csv = csvLine(t.columns);
        // Batches, each a short unit of work, so an export never holds the embedded session long.
        for (let offset = 0; ; offset += 5000) {
          const page = render(selectPage(t, { ...q, limit: 5000, offset }));
          const rows = await d.adb.use((c) => c.rows(page.text, page.values));
          for (const r of rows) csv += csvLine(rowArray(t, r));
          if (rows.length < 5000) break;
        }
        const filename = `${schema}.${table}.csv`.replace(/[^\w.-]/g, '_');
        return { body: csv, headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${filename}"` } };
      },
    },
    {
      method: 'POST', path: '/api/data/import',
      handler: async (ctx) => {
        const body = await ctx.json();
        let rows: (string | null)[][];
        try {
          rows = parseCsv(typeof body.csv === 'string' ? body.csv : '');
        } catch (err) {
          if (err instanceof CsvError) throw new AdminError(400, 'bad-csv', err.message);
          throw err;
        }
        const [header, ...data] = rows;
        if (!header || header.some((h) => h === null)) throw new AdminError(400, 'bad-csv', 'the first line must name the columns');
        const cols = header as string[];
        const inserted = await d.adb.use(async (c) => {
          const t = await loadTable(c, field(body, 'schema'), field(body, 'table'));
          await c.query('BEGIN');
          let n = 0;
          for (let i = 0; i < data.length; i += 500) {
            const batch = data.slice(i, i + 500);
            for (const [j, r] of batch.entries()) {
              if (r.length !== cols.length) throw new AdminError(400, 'bad-csv', `line ${i + j + 2} has ${r.length} fields, the header has ${cols.length}`);
            }
            const { text, values } = render(insertMany(t, cols, batch));
            n += (await c.query(text, values)).rowCount;
          }
          await c.query('COMMIT');
          await d.audit.record(ctx, { action: 'grid.import', rows: n, detail: `${t.schema}.${t.name}: ${n} rows from CSV` }, c);
          return n;
        });
        return { json: { inserted } };
      },
    },
  ];
}
