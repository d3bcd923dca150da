// Request bodies of writes: JSON (object or array), CSV and form-urlencoded → rows of one
// JSON array text plus their keys (pure; 400 PGRST102 with PostgREST's messages).
// Values are never re-serialised from JSON: the text goes to PostgreSQL as sent, so big numbers keep
// their precision; CSV and form bodies become a JSON array of string (or null) values. JSON bodies
// are scanned, not parsed: their rows are built only when a plan asks for values (PUT, missing=default).
import { errors } from '../errors/codes.js';
import { apiCsvValue, CsvSyntaxError, eachCsvRow } from './body-csv.js';
import { JsonDepthError, MAX_JSON_DEPTH, scanJson, type JsonShape } from './body-json.js';
import type { MediaType } from './types.js';

export interface RowsPayload {
  /** A JSON array of objects (an object body is wrapped in `[…]`). */
  readonly json: string;
  /** The rows parsed, for checks that need values (PUT's primary key); built on first use. */
  readonly rows: readonly Readonly<Record<string, unknown>>[];
  /** How many rows (without building them). */
  readonly rowCount: number;
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

/**
 * Parses a write body. `uniformKeys` demands that every row has the first row's keys
 * (PostgREST's rule unless `?columns=` names the columns).
 * Example: `[{"a":1},{"a":2}]` → { json: same text, keys: ['a'], rows: [{a:1},{a:2}], isArray: true }.
 */
export function parseRowsBody(body: Buffer | null, contentType: MediaType | null, uniformKeys: boolean): RowsPayload {
  const format = bodyFormat(contentType);
  const text = body === null ? '' : body.toString('utf8');
  if (format === 'json') return jsonRows(text, uniformKeys);
  // Every CSV row has the header's keys, and a form body is one row.
  return format === 'csv' ? csvRows(text) : formRows(text);
}

/**
 * The shape of a JSON body (object or array): 400 PGRST102 when JSON.parse would refuse it or it
 * nests deeper than PostgreSQL can parse.
 */
export function jsonShape(text: string): JsonShape {
  try {
    return scanJson(text);
  } catch (err) {
    if (err instanceof JsonDepthError) throw errors.jsonTooDeep(MAX_JSON_DEPTH);
    throw invalidJson();
  }
}

function jsonRows(text: string, uniformKeys: boolean): RowsPayload {
  const shape = jsonShape(text);
  if (shape.kind === 'scalar' || !shape.allObjects) throw invalidJson();
  if (uniformKeys && !shape.uniformKeys) throw errors.invalidBody('All object keys must match');
  const isArray = shape.kind === 'array';
  let rows: Record<string, unknown>[] | null = null;
  return {
    json: isArray ? text : `[${text}]`,
    get rows() {
      rows ??= isArray ? JSON.parse(text) as Record<string, unknown>[] : [JSON.parse(text) as Record<string, unknown>];
      return rows;
    },
    rowCount: shape.length,
    keys: shape.keys,
    isArray,
  };
}

/**
 * A CSV body as the JSON text of its rows, written row by row (no object per row; they are built
 * only when a plan asks for values). A header naming a column twice keeps the last value, as before.
 */
function csvRows(text: string): RowsPayload {
  let header: string[] | null = null;
  let names: string[] = [];
  const pieces: string[] = [];
  try {
    eachCsvRow(text, (fields) => {
      if (header === null) {
        header = fields.map((f) => apiCsvValue(f) ?? '');
        const last = new Map(header.map((h, i) => [h, i]));
        names = header.map((h, i) => (last.get(h) === i ? `${JSON.stringify(h)}:` : ''));
        return;
      }
      if (fields.length !== header.length) throw errors.invalidBody('All lines must have same number of fields');
      let row = '';
      fields.forEach((f, i) => {
        const name = names[i] as string;
        if (name === '') return;
        const v = apiCsvValue(f);
        row += `${row === '' ? '' : ','}${name}${v === null ? 'null' : JSON.stringify(v)}`;
      });
      pieces.push(`{${row}}`);
    });
  } catch (err) {
    if (err instanceof CsvSyntaxError) throw errors.invalidBody(`Invalid CSV: ${err.message}`);
    throw err;
  }
  if (header === null) return { json: '[]', rows: [], rowCount: 0, keys: [], isArray: true };
  const json = `[${pieces.join(',')}]`;
  let rows: Record<string, unknown>[] | null = null;
  return {
    json,
    get rows() {
      rows ??= JSON.parse(json) as Record<string, unknown>[];
      return rows;
    },
    rowCount: pieces.length,
    keys: header,
    isArray: true,
  };
}

function formRows(text: string): RowsPayload {
  const row: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(text)) row[k] = v;
  return { json: JSON.stringify([row]), rows: [row], rowCount: 1, keys: Object.keys(row), isArray: false };
}

/** Form fields with repeated keys kept (a variadic argument takes them all). */
export function formFields(body: Buffer | null): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [k, v] of new URLSearchParams(body === null ? '' : body.toString('utf8'))) {
    out.set(k, [...(out.get(k) ?? []), v]);
  }
  return out;
}
