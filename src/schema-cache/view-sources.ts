// Maps view columns to the base-table columns they select (recursively through views), read
// from each view's rewrite rule: every TARGETENTRY carries :resorigtbl and :resorigcol.
// Embedding uses this to find relationships of views.
import type { Conn } from '../db/types.js';
import type { ViewColumnSource } from './types.js';

const viewsSql = /* sql */ `
SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS name, r.ev_action::text AS action
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_rewrite r ON r.ev_class = c.oid AND r.rulename = '_RETURN'
WHERE c.relkind IN ('v', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
`;

const relNamesSql = /* sql */ `
SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS name, c.relkind AS kind,
  (SELECT json_object_agg(a.attnum, a.attname) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS cols
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.oid = ANY($1::oid[])
`;

interface Direct { view: number; viewColumn: string; resno: number; rel: number; col: number }

export async function loadViewColumnSources(conn: Conn, schemas: readonly string[]): Promise<ViewColumnSource[]> {
  const views = (await conn.query<{ oid: unknown; schema: string; name: string; action: string }>(viewsSql)).rows;
  if (views.length === 0) return [];
  const direct: Direct[] = [];
  for (const v of views) {
    for (const e of targetEntries(topTargetList(v.action))) {
      if (e.rel !== 0 && e.name !== null && !e.junk) direct.push({ view: Number(v.oid), viewColumn: e.name, resno: e.resno, rel: e.rel, col: e.col });
    }
  }
  const oids = [...new Set([...direct.map((d) => d.rel), ...views.map((v) => Number(v.oid))])];
  const rels = new Map<number, { schema: string; name: string; kind: string; cols: Record<string, string> }>();
  for (const r of (await conn.query<Record<string, unknown>>(relNamesSql, [oids])).rows) {
    const cols = (typeof r.cols === 'string' ? JSON.parse(r.cols) : r.cols) as Record<string, string> | null;
    rels.set(Number(r.oid), { schema: String(r.schema), name: String(r.name), kind: String(r.kind), cols: cols ?? {} });
  }
  // The view's current column names: ALTER VIEW … RENAME COLUMN leaves the rule's resname as it was.
  for (const d of direct) d.viewColumn = rels.get(d.view)?.cols[String(d.resno)] ?? d.viewColumn;
  const byView = new Map<number, Direct[]>();
  for (const d of direct) byView.set(d.view, [...(byView.get(d.view) ?? []), d]);

  // Resolve chains view → view → table down to base relations.
  const out: ViewColumnSource[] = [];
  const resolve = (rel: number, colName: string, depth: number): { rel: number; col: string } | null => {
    const info = rels.get(rel);
    if (!info) return null;
    if (info.kind !== 'v' && info.kind !== 'm') return { rel, col: colName };
    if (depth > 32) return null;
    const next = (byView.get(rel) ?? []).find((d) => d.viewColumn === colName);
    if (!next) return null;
    const nextCol = rels.get(next.rel)?.cols[String(next.col)];
    return nextCol === undefined ? null : resolve(next.rel, nextCol, depth + 1);
  };
  for (const d of direct) {
    const view = rels.get(d.view);
    if (!view || !schemas.includes(view.schema)) continue;
    const col = rels.get(d.rel)?.cols[String(d.col)];
    if (col === undefined) continue;
    const base = resolve(d.rel, col, 0);
    const baseInfo = base ? rels.get(base.rel) : undefined;
    if (!base || !baseInfo) continue;
    out.push({ viewSchema: view.schema, view: view.name, viewColumn: d.viewColumn, schema: baseInfo.schema, table: baseInfo.name, column: base.col });
  }
  return out;
}

/** The outer query's target list: the `:targetList (...)` directly inside `({QUERY ...})`. */
function topTargetList(action: string): string {
  let depth = 0;
  for (let i = 0; i < action.length; i++) {
    const ch = action[i];
    if (ch === '\\') i++;
    else if (ch === '(' || ch === '{') depth++;
    else if (ch === ')' || ch === '}') depth--;
    else if (depth === 2 && action.startsWith(':targetList (', i)) {
      const open = i + ':targetList '.length;
      return action.slice(open, matchingClose(action, open) + 1);
    }
  }
  return '';
}

function matchingClose(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') i++;
    else if (ch === '(' || ch === '{') depth++;
    else if ((ch === ')' || ch === '}') && --depth === 0) return i;
  }
  return text.length - 1;
}

interface Entry { name: string | null; resno: number; rel: number; col: number; junk: boolean }

/**
 * The TARGETENTRY nodes of a target list, reading only each entry's own fields: an entry's
 * expression may hold sub-queries with target entries of their own.
 */
export function targetEntries(list: string): Entry[] {
  const out: Entry[] = [];
  for (let i = list.indexOf('{TARGETENTRY'); i >= 0; i = list.indexOf('{TARGETENTRY', i)) {
    const end = matchingClose(list, i);
    const fields = topLevelFields(list.slice(i + 1, end));
    const name = fields.get('resname');
    out.push({
      name: name === undefined || name === '<>' ? null : unescapeName(name),
      resno: Number(fields.get('resno') ?? 0),
      rel: Number(fields.get('resorigtbl') ?? 0),
      col: Number(fields.get('resorigcol') ?? 0),
      junk: fields.get('resjunk') === 'true',
    });
    i = end + 1;
  }
  return out;
}

/** `:key value` pairs at depth 0 of a node's text (values of nested nodes are skipped). */
function topLevelFields(node: string): Map<string, string> {
  const fields = new Map<string, string>();
  let depth = 0;
  for (let i = 0; i < node.length; i++) {
    const ch = node[i];
    if (ch === '\\') i++;
    else if (ch === '(' || ch === '{') depth++;
    else if (ch === ')' || ch === '}') depth--;
    else if (depth === 0 && ch === ':') {
      const m = /^:(\w+) ((?:\\.|[^\s(){}])*)/.exec(node.slice(i));
      if (m) fields.set(m[1] as string, m[2] as string);
    }
  }
  return fields;
}

/** Node-tree text escapes spaces and specials in names with backslashes. */
function unescapeName(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}
