// Turns a RequestTx into the SQL text sent to the server: one simple-protocol script so that
// BEGIN, settings and the main statement cost a single round trip (values inlined as literals
// by the one builder). Example:
//   BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
//   SELECT set_config('role', 'api_anon', true), set_config('request.method', 'GET', true);
//   WITH pgrst_source AS (...) SELECT ...;
//   COMMIT;
import { quoteLiteral, renderInline } from '../sql/sql.js';
import type { RequestResult, RequestTx, SettingPairs, TxSettings } from './types.js';

// `set_config('key', ` by key: keys are names from the code, the configuration and the schema.
const keyTexts = new Map<string, string>();
const keyText = (k: string): string => {
  let t = keyTexts.get(k);
  if (t === undefined) {
    if (keyTexts.size >= 1000) keyTexts.clear();
    keyTexts.set(k, (t = `set_config(${quoteLiteral(k)}, `));
  }
  return t;
};

// A user's shared settings rendered once: a frozen array is the same for every request of that user
// and schema (see requestSettings); others are rendered each time.
const sharedTexts = new WeakMap<SettingPairs, string>();

function pushPairs(pieces: string[], pairs: SettingPairs, first: boolean): void {
  for (let i = 0; i < pairs.length; i++) {
    const [k, v] = pairs[i] as readonly [string, string];
    pieces.push(first && i === 0 ? '' : ', ', keyText(k), quoteLiteral(v), ', true)');
  }
}

function sharedText(shared: SettingPairs): string {
  let text = sharedTexts.get(shared);
  if (text === undefined) {
    const pieces: string[] = [];
    pushPairs(pieces, shared, true);
    sharedTexts.set(shared, (text = pieces.join('')));
  }
  return text;
}

/**
 * `SELECT set_config('k', 'v', true), …`: names and values as literals, written straight to text
 * (the builder's quoteLiteral, without building fragments) since this runs for every request.
 */
function pushSettings(pieces: string[], { shared, own }: TxSettings): void {
  pieces.push('SELECT ');
  if (shared.length > 0 && Object.isFrozen(shared)) pieces.push(sharedText(shared));
  else pushPairs(pieces, shared, true);
  pushPairs(pieces, own, shared.length === 0);
}

/**
 * The script as one flat string, joined once from its pieces (see inlineText in sql.ts: text grown
 * piece by piece is a rope the driver would walk again to encode it).
 */
export function requestScript(tx: RequestTx): { script: string; beforeIndex: number; mainIndex: number; endsInline: boolean } {
  const pieces: string[] = [tx.readOnly ? 'BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY' : 'BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE'];
  let statements = 1;
  if (tx.settings.shared.length + tx.settings.own.length > 0) {
    pieces.push(';\n');
    pushSettings(pieces, tx.settings);
    statements++;
  }
  const beforeIndex = statements;
  for (const b of tx.before) pieces.push(';\n', renderInline(b));
  const mainIndex = beforeIndex + tx.before.length;
  pieces.push(';\n', renderInline(tx.main));
  const endsInline = typeof tx.end === 'string';
  if (typeof tx.end === 'string') pieces.push(tx.end === 'commit' ? ';\nCOMMIT' : ';\nROLLBACK');
  return { script: pieces.join(''), beforeIndex, mainIndex, endsInline };
}

/** What a backend provides to run a request script on its one connection. */
export interface ScriptRunner {
  exec(script: string): Promise<ReadonlyArray<{ readonly rows: unknown[] }>>;
  /** Ends a failed transaction; must not throw. */
  rollback(): Promise<void>;
}

/** Runs a RequestTx: the script in one round trip, then the commit decision when it needs the rows. */
export async function runRequest(tx: RequestTx, runner: ScriptRunner): Promise<RequestResult> {
  const { script, beforeIndex, mainIndex, endsInline } = requestScript(tx);
  let results: ReadonlyArray<{ readonly rows: unknown[] }>;
  try {
    results = await runner.exec(script);
  } catch (err) {
    await runner.rollback();
    throw err;
  }
  const rowsOf = (i: number) => (results[i]?.rows ?? []) as Record<string, unknown>[];
  const rows = rowsOf(mainIndex);
  const before = tx.before.map((_, i) => rowsOf(beforeIndex + i));
  if (endsInline) return { rows, before, committed: tx.end === 'commit' };
  const decision = typeof tx.end === 'function' ? tx.end(rows) : tx.end;
  try {
    await runner.exec(decision === 'commit' ? 'COMMIT' : 'ROLLBACK');
  } catch (err) {
    await runner.rollback();
    throw err;
  }
  return { rows, before, committed: decision === 'commit' };
}
