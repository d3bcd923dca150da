// Names in the document: component keys (restricted to [A-Za-z0-9._-] by OpenAPI 3.0) and the
// query-string keys a client must send for a column (quoted when PostgREST's grammar needs it).

/** Hands out unique component keys: `Weird "Name"` → `Weird__Name_`, a clash gets `_2`. */
export class KeyMaker {
  private readonly used = new Set<string>();

  key(name: string): string {
    const base = name.replace(/[^A-Za-z0-9._-]/g, '_') || '_';
    let k = base;
    for (let n = 2; this.used.has(k); n++) k = `${base}_${n}`;
    this.used.add(k);
    return k;
  }
}

const reserved = new Set(['select', 'columns', 'on_conflict', 'order', 'limit', 'offset', 'and', 'or', 'not']);

/**
 * The query key that filters on `column`: plain names as they are; names with characters
 * outside PostgREST's unquoted-identifier set (`.`, `,`, `"`, `-`, `:`…), or that would be read
 * as a reserved parameter, in double quotes with `\"` and `\\` escaped.
 */
export function filterKey(column: string): string {
  const plain = /^[\p{L}\p{N}_$]+(?: +[\p{L}\p{N}_$]+)*$/u.test(column) && !reserved.has(column);
  return plain ? column : `"${column.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
