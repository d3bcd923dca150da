// The object browser's API: schemas, a schema's objects, extensions, one relation or function in
// detail (with its DDL) and the names the SQL editor completes. Each call is one short unit of work.
import { AdminError } from '../errors.js';
import type { AdminDeps } from '../deps.js';
import type { Route } from '../http-kit.js';
import type { AdminConn } from '../db/admin-db.js';
import { completionSql, extensionsSql, objectsSql, schemasSql } from '../catalog/browse.sql.js';
import {
  columnsSql, constraintsSql, functionSql, grantsSql, indexesSql, policiesSql, relationSql, sequenceSql, triggersSql,
} from '../catalog/relation.sql.js';
import { grantsDdl, sequenceDdl, tableDdl, viewDdl, type ColumnInfo, type IndexInfo, type NamedDef, type SequenceInfo } from '../ddl.js';
import type { PolicyCommand, PolicySpec } from '../policy-sql.js';

const oidParam = (url: URL) => {
  const oid = url.searchParams.get('oid') ?? '';
  if (!/^\d+$/.test(oid)) throw new AdminError(400, 'bad-oid', 'oid must be a number');
  return oid;
};

const bool = (v: string | null | undefined) => v === 't' || v === 'true';

export async function relationDetails(c: AdminConn, oid: string) {
  const [rel] = await c.rows(relationSql, [oid]);
  if (!rel) throw new AdminError(404, 'not-found', 'no such relation');
  const [columns, constraints, indexes, triggers, policyRows, grants] = [
    await c.rows(columnsSql, [oid]), await c.rows(constraintsSql, [oid]), await c.rows(indexesSql, [oid]),
    await c.rows(triggersSql, [oid]), await c.rows(policiesSql, [oid]), await c.rows(grantsSql, [oid]),
  ];
  const schema = rel.schema ?? '';
  const name = rel.name ?? '';
  const policies: PolicySpec[] = policyRows.map((p) => ({
    schema, table: name, name: p.name ?? '', command: (p.command ?? 'ALL') as PolicyCommand, permissive: bool(p.permissive),
    roles: JSON.parse(p.roles ?? '[]') as string[], using: p.using ?? null, check: p.check ?? null,
  }));
  const cols = columns.map((col) => ({ ...col, not_null: bool(col.not_null) })) as unknown as ColumnInfo[];
  let ddl: string;
  let sequence: Record<string, string | null> | null = null;
  if (rel.relkind === 'v' || rel.relkind === 'm') ddl = viewDdl(schema, name, rel.relkind === 'm', rel.view_definition ?? '');
  else if (rel.relkind === 'S') {
    [sequence = null] = await c.rows(sequenceSql, [oid]);
    ddl = sequence ? sequenceDdl(schema, name, sequence as unknown as SequenceInfo) : '';
  } else {
    ddl = tableDdl({
      schema, name, comment: rel.comment ?? null, rlsEnabled: bool(rel.rls_enabled), rlsForced: bool(rel.rls_forced), columns: cols,
      constraints: constraints as unknown as NamedDef[], triggers: triggers as unknown as NamedDef[], policies,
      indexes: indexes.map((i) => ({ ...i, from_constraint: bool(i.from_constraint) })) as unknown as IndexInfo[],
    });
  }
  ddl += grantsDdl(schema, name, rel.relkind ?? 'r', rel.owner ?? null, grants);
  return {
    relation: { ...rel, rls_enabled: bool(rel.rls_enabled), rls_forced: bool(rel.rls_forced), primary_key: JSON.parse(rel.primary_key ?? '[]') as string[] },
    columns: cols, constraints, indexes, triggers, policies, grants, sequence, ddl,
  };
}

export function catalogRoutes(d: AdminDeps): Route[] {
  return [
    { method: 'GET', path: '/api/catalog/schemas', handler: async () => ({ json: await d.adb.use((c) => c.rows(schemasSql)) }) },
    {
      method: 'GET', path: '/api/catalog/objects',
      handler: async (ctx) => ({ json: await d.adb.use((c) => c.rows(objectsSql, [ctx.url.searchParams.get('schema') ?? 'public'])) }),
    },
    { method: 'GET', path: '/api/catalog/extensions', handler: async () => ({ json: await d.adb.use((c) => c.rows(extensionsSql)) }) },
    { method: 'GET', path: '/api/catalog/relation', handler: async (ctx) => ({ json: await d.adb.use((c) => relationDetails(c, oidParam(ctx.url))) }) },
    {
      method: 'GET', path: '/api/catalog/function',
      handler: async (ctx) => {
        const [fn] = await d.adb.use((c) => c.rows(functionSql, [oidParam(ctx.url)]));
        if (!fn) throw new AdminError(404, 'not-found', 'no such function');
        return { json: { ...fn, ddl: fn.definition ?? `-- ${fn.name}(${fn.arguments}) is an aggregate: see pg_aggregate` } };
      },
    },
    {
      method: 'GET', path: '/api/catalog/completion',
      handler: async () => {
        const rows = await d.adb.use((c) => c.rows<{ schema: string; name: string; columns: string }>(completionSql));
        return { json: rows.map((r) => ({ schema: r.schema, name: r.name, columns: JSON.parse(r.columns) as string[] })) };
      },
    },
  ];
}
