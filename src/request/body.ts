// Request bodies of writes: JSON (object or array), CSV and form-urlencoded → rows of one
// JSON array text plus their keys (pure; 400 PGRST102 with PostgREST's messages).
// Values are never re-serialised from JSON: the text goes to PostgreSQL as sent, so big numbers keep
// their precision; CSV and form bodies become a JSON array of string (or null) values.
import { errors } from '../errors/codes.js';
import { CsvSyntaxError, parseCsv } from './body-csv.js';
import type { MediaType } from './types.js';

export interface RowsPayload {
  /** A JSON array of objects (an object body is wrapped in `[…]`). */
  readonly json: string;
  /** The rows parsed, for checks that need values (PUT's primary key). */
  readonly rows: readonly Readonly<Record<string, unknown>>[];
  /** Keys of the first row (all rows share them unless `?columns=` was given). */
  readonly keys: readonly string[];
  /** True when the body was a JSON array (or CSV), false for a single object. */
  readonly isArray: boolean;
}

export type BodyFormat = 'json' | 'csv' | 'form';

/** The body format from Content-Type; absent means JSON. Others → PGRST102. */
export function bodyFormat(contentType: MediaType | null): BodyFormat {
  const t = contentType?.type ?? 'application/json';
  if (t === 'application/json' || t === '*/*') return 'json';
  if (t === 'text/csv') return 'csv';
  if (t === 'application/x-www-form-urlencoded') return 'form';
  throw errors.invalidBody(`Content-Type not acceptable: ${t}`);
}

export const invalidJson = () => errors.invalidBody('Empty or invalid json');

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses a write body. `uniformKeys` demands that every row has the first row's keys
 * (PostgREST's rule unless `?columns=` names the columns).
 * Example: `[{"a":1},{"a":2}]` → { json: same text, keys: ['a'], rows: [{a:1},{a:2}], isArray: true }.
 */
export function parseRowsBody(body: Buffer | null, contentType: MediaType | null, uniformKeys: boolean): RowsPayload {
  const format = bodyFormat(contentType);
  const text = body === null ? '' : body.toString('utf8');
  const payload = format === 'json' ? jsonRows(text) : format === 'csv' ? csvRows(text) : formRows(text);
  if (uniformKeys) checkUniform(payload.rows);
  return payload;
}

function jsonRows(text: string): RowsPayload {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidJson();
  }
  if (isObject(value)) return { json: `[${text}]`, rows: [value], keys: Object.keys(value), isArray: false };
  if (Array.isArray(value) && value.every(isObject)) {
    const rows = value as Record<string, unknown>[];
    return { json: text, rows, keys: rows.length === 0 ? [] : Object.keys(rows[0] as object), isArray: true };
  }
  throw invalidJson();
}

function checkUniform(rows: readonly Readonly<Record<string, unknown>>[]): void {
  const first = rows[0];
  if (first === undefined) return;
  const keys = new Set(Object.keys(first));
  for (const r of rows) {
    const k = Object.keys(r);
    if (k.length !== keys.size || !k.every((x) => keys.has(x))) throw errors.invalidBody('All object keys must match');
  }
}

function csvRows(text: string): RowsPayload {
  let lines: (string | null)[][];
  try {
    lines = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvSyntaxError) throw errors.invalidBody(`Invalid CSV: ${err.message}`);
    throw err;
  }
  const header = lines[0];
  if (header === undefined) return { json: '[]', rows: [], keys: [], isArray: true };
  const rows = lines.slice(1).map((fields) => {
    if (fields.length !== header.length) throw errors.invalidBody('All lines must have same number of fields');
    return Object.fromEntries(header.map((h, i) => [h ?? '', fields[i] ?? null]));
  });
  return { json: JSON.stringify(rows), rows, keys: header.map((h) => h ?? ''), isArray: true };
}

function formRows(text: string): RowsPayload {
  const row: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(text)) row[k] = v;
  return { json: JSON.stringify([row]), rows: [row], keys: Object.keys(row), isArray: false };
}

/** Form fields with repeated keys kept (a variadic argument takes them all). */
export function formFields(body: Buffer | null): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [k, v] of new URLSearchParams(body === null ? '' : body.toString('utf8'))) {
    out.set(k, [...(out.get(k) ?? []), v]);
  }
  return out;
}
