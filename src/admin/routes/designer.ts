// The table designer's API: the type picker's types, an existing table as a description, and a
// create or alter previewed as its exact DDL, applied in one transaction (then the API's schema
// is reloaded) or saved as a migration file instead; both are audited. Editors and owners change,
// viewers may preview.
import { join } from 'node:path';
import { render, renderInline, type Sql } from '../../sql/sql.js';
import { MigrationError } from '../../migrate/files.js';
import { AdminError } from '../errors.js';
import type { AdminDeps } from '../deps.js';
import type { Ctx, Route } from '../http-kit.js';
import type { AdminConn } from '../db/admin-db.js';
import { parseTableSpec, type TableSpec } from '../designer/spec.js';
import { typeCatalog, typesSql, type TypeEntry } from '../designer/types.js';
import { createTable } from '../designer/create.js';
import { alterTable } from '../designer/alter.js';
import { readTable } from '../designer/read.js';
import { saveMigration } from '../designer/migration.js';

interface Change { readonly base: { schema: string; name: string } | null; readonly table: TableSpec; readonly body: Record<string, unknown> }

async function change(ctx: Ctx): Promise<Change> {
  const b = await ctx.json<Record<string, unknown>>();
  const base = b.base as { schema?: unknown; name?: unknown } | null | undefined;
  if (base != null && (typeof base.schema !== 'string' || typeof base.name !== 'string')) {
    throw new AdminError(400, 'bad-table', 'base: { schema, name } of the table being altered, or null for a new table');
  }
  return { base: base ? { schema: base.schema as string, name: base.name as string } : null, table: parseTableSpec(b.table), body: b };
}

/** The statements of a change, checked against the catalog (types, and the table as it is now). */
async function statements(c: AdminConn, ch: Change): Promise<Sql[]> {
  const types = typeCatalog(await c.rows<TypeEntry>(typesSql));
  if (!ch.base) return createTable(ch.table, types);
  const out = alterTable(await readTable(c, ch.base.schema, ch.base.name), ch.table, types);
  if (out.length === 0) throw new AdminError(400, 'no-change', 'nothing to change: the description is the table as it is');
  return out;
}

const texts = (s: readonly Sql[]) => s.map((x) => renderInline(x) + ';');

export function designerRoutes(d: AdminDeps): Route[] {
  return [
    { method: 'GET', path: '/api/designer/types', handler: async () => ({ json: await d.adb.use((c) => c.rows<TypeEntry>(typesSql)) }) },
    {
      method: 'GET', path: '/api/designer/table',
      handler: async (ctx) => {
        const p = ctx.url.searchParams;
        return { json: await d.adb.use((c) => readTable(c, p.get('schema') ?? 'public', p.get('name') ?? '')) };
      },
    },
    {
      // A preview changes nothing: viewers may read what a change would run.
      method: 'POST', path: '/api/designer/preview', role: 'viewer',
      handler: async (ctx) => {
        const ch = await change(ctx);
        return { json: { sql: texts(await d.adb.use((c) => statements(c, ch))) } };
      },
    },
    {
      method: 'POST', path: '/api/designer/apply',
      handler: async (ctx) => {
        const ch = await change(ctx);
        const done = await d.adb.use(async (c) => {
          const s = await statements(c, ch);
          await c.query('BEGIN');
          for (const x of s) {
            const { text, values } = render(x);
            await c.query(text, values);
          }
          await c.query('COMMIT');
          return s;
        });
        await d.reloadSchema();
        await d.audit.record(ctx, { action: 'designer.apply', sql: texts(done).join('\n'), detail: `${ch.table.schema}.${ch.table.name}` });
        return { json: { sql: texts(done) } };
      },
    },
    {
      method: 'POST', path: '/api/designer/migration',
      handler: async (ctx) => {
        const ch = await change(ctx);
        const name = typeof ch.body.migration === 'string' && ch.body.migration.trim()
          ? ch.body.migration : `${ch.base ? 'alter' : 'create'} ${ch.table.name}`;
        const s = texts(await d.adb.use((c) => statements(c, ch)));
        try {
          const file = saveMigration(d.config.migrationsDir, name, s);
          await d.audit.record(ctx, { action: 'designer.migration', sql: s.join('\n'), detail: file });
          return { json: { file: join(d.config.migrationsDir, file), sql: s } };
        } catch (err) {
          if (err instanceof MigrationError) throw new AdminError(400, 'bad-migration', err.message);
          if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new AdminError(409, 'migration-exists', 'that migration file already exists: nothing was overwritten');
          throw new AdminError(500, 'migration-write', `could not write the migration in ${d.config.migrationsDir}: ${(err as Error).message}`);
        }
      },
    },
  ];
}
