// The SQL transactions the baseline servers replay: captured from PeSquel per scenario and auth,
// split into statements, and written to a JSON file each baseline process reads at start.
import { readFileSync } from 'node:fs';

export interface ScriptSpec {
  /** BEGIN, settings, main statement, COMMIT: exactly what PeSquel sent, statement by statement. */
  readonly statements: readonly string[];
  /** Index of the statement whose rows make the response (PeSquel's main statement). */
  readonly mainIndex: number;
  /** A key literal to swap for the one in each request's URL (rows addressed by key), or null. */
  readonly keyLiteral: string | null;
  readonly status: number;
  readonly contentType: string;
}

export type ScriptTable = Readonly<Record<string, ScriptSpec>>;

/** The header that tells a baseline which script a request stands for. */
export const SCRIPT_HEADER = 'x-bench-script';

export const loadScripts = (path: string): ScriptTable => JSON.parse(readFileSync(path, 'utf8')) as ScriptTable;

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** The statements for one request: the captured key replaced by the one the request names. */
export function statementsFor(spec: ScriptSpec, url: string): readonly string[] {
  if (spec.keyLiteral === null) return spec.statements;
  const key = UUID.exec(url)?.[0];
  if (key === undefined || key === spec.keyLiteral) return spec.statements;
  const from = spec.keyLiteral;
  return spec.statements.map((s) => s.replaceAll(from, key));
}

/** A large page that PeSquel reads in chunks (one row per chunk of elements, see src/sql/statement.ts). */
export const isChunked = (spec: ScriptSpec) => spec.statements[spec.mainIndex]?.includes('pgrst_chunks AS (') ?? false;

/**
 * The response body: PeSquel's `body` column when the main statement has one (reads), else empty;
 * the chunks of a chunked page joined into the array (the minimal way: one string).
 */
export function bodyOf(rows: readonly Record<string, unknown>[], status: number, chunked = false): string {
  if (status === 204) return '';
  if (chunked) return `[${rows.flatMap((r) => (typeof r.body === 'string' ? [r.body] : [])).join(',')}]`;
  const body = rows[0]?.body;
  return typeof body === 'string' ? body : status === 201 ? '' : JSON.stringify(rows);
}
