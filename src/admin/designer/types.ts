// Column types checked against the database's catalog (pg_type): a type the client sends is
// rendered only if its base name is one the catalog listed, with numeric modifiers and `[]`s.
import { qualified, sql, unsafeRaw, type Sql } from '../../sql/sql.js';
import { AdminError } from '../errors.js';

export interface TypeEntry {
  /** What the picker shows and the client sends: `integer`, `timestamp with time zone`, `public.mood`. */
  readonly name: string;
  readonly schema: string;
  readonly typname: string;
  /** b base, d domain, e enum, r range, m multirange, c composite. */
  readonly kind: string;
  readonly category: string;
}

/** Types a column can have: no pseudo-types, no arrays (any type takes `[]`), no table row types. */
export const typesSql = /* sql */ `
SELECT CASE WHEN n.nspname = 'pg_catalog' THEN format_type(t.oid, NULL) ELSE n.nspname || '.' || t.typname END AS name,
  n.nspname AS schema, t.typname, t.typtype AS kind, t.typcategory AS category
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_class c ON c.oid = t.typrelid
WHERE t.typisdefined AND t.typtype IN ('b', 'd', 'e', 'r', 'm', 'c') AND t.typcategory <> 'A'
  AND (t.typtype <> 'c' OR c.relkind = 'c')
  AND n.nspname NOT IN ('information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg\\_temp%'
  AND NOT (n.nspname = 'pg_catalog' AND (t.typname LIKE 'pg\\_%' OR t.typcategory = 'P' OR t.typname IN ('aclitem', 'cid', 'xid', 'xid8', 'tid', 'int2vector', 'oidvector', 'gtsvector', 'refcursor', 'regclass', 'regconfig', 'regdictionary', 'regnamespace', 'regoper', 'regoperator', 'regproc', 'regprocedure', 'regrole', 'regtype', 'regcollation')))
ORDER BY n.nspname <> 'pg_catalog', 1`;

export type TypeCatalog = ReadonlyMap<string, TypeEntry>;
export const typeCatalog = (rows: readonly TypeEntry[]): TypeCatalog => new Map(rows.map((r) => [r.name, r]));

const typeShape = /^(.+?)\s*(\(\s*\d+\s*(?:,\s*-?\d+\s*)?\))?((?:\s*\[\s*\])*)$/;
// timestamp(3) with time zone: the modifier sits after the first word.
const innerModifier = /^(time|timestamp)\s*(\(\s*\d+\s*\))\s*(with(?:out)? time zone)$/;

/**
 * The SQL of a column type, or a 400 naming it: `character varying(20)` → character varying(20),
 * `public.mood[]` → "public"."mood"[]. The base must be in the catalog; modifiers are digits only.
 */
export function columnType(type: string, types: TypeCatalog): Sql {
  const inner = innerModifier.exec(type.trim());
  const m = inner ? [type, `${inner[1]} ${inner[3]}`, inner[2], ''] : typeShape.exec(type.trim());
  const base = m?.[1]?.replace(/\s+/g, ' ') ?? '';
  const entry = types.get(base);
  if (!m || !entry) throw new AdminError(400, 'bad-type', `unknown type "${type}": pick one from the list (types of this database)`);
  const mods = (m[2] ?? '').replace(/\s+/g, '');
  const dims = '[]'.repeat(((m[3] ?? '').match(/\[/g) ?? []).length);
  if (entry.schema !== 'pg_catalog') return sql`${qualified(entry.schema, entry.typname)}${unsafeRaw(mods + dims)}`;
  // A catalog name that matched exactly (trusted text from the closed list the catalog gave).
  if (inner) return unsafeRaw(`${inner[1] as string}${mods} ${inner[3] as string}${dims}`);
  return unsafeRaw(`${entry.name}${mods}${dims}`);
}
