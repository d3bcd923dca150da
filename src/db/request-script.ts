// Turns a RequestTx into what is sent to the server in ONE round trip. On PostgreSQL: a pipeline
// of extended-protocol statements (pg-script.ts), every value a bind parameter, so that the text
// PostgreSQL echoes into its log on an error (log_min_error_statement) carries `$n`, never a token,
// a cookie or a payload:
//   BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY
//   SELECT set_config('role', $1, true), set_config('request.headers', $2, true), …   ['api_anon', '{…}', …]
//   WITH pgrst_source AS (… WHERE "id" = $1 …) SELECT …                               ['7']
//   COMMIT
// Embedded (PGlite, which keeps no server log): the same statements as one simple-protocol script,
// values inlined as literals by the one builder (one call into PGlite instead of one per statement).
import { quoteLiteral, renderInline, Sql, UnsafeIdentifierError, type Param, type Slot } from '../sql/sql.js';
import type { RequestResult, RequestTx, SettingPairs, TxSettings } from './types.js';

/** One statement of a pipeline: its text with `$n` placeholders and their values (text format). */
export interface Statement {
  readonly text: string;
  readonly values: readonly (string | null)[];
  /** false: its rows are not needed (BEGIN, the settings, COMMIT), so they are not described or kept. */
  readonly rows?: false;
}

/** A simple-protocol script (values inlined) or a pipeline of statements with bound values. */
export type Script = string | readonly Statement[];

const begins = {
  readOnly: Object.freeze({ text: 'BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY', values: [], rows: false } as const),
  readWrite: Object.freeze({ text: 'BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE', values: [], rows: false } as const),
};
const ends = {
  commit: Object.freeze({ text: 'COMMIT', values: [], rows: false } as const),
  rollback: Object.freeze({ text: 'ROLLBACK', values: [], rows: false } as const),
};

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

/** `$n, true)` by n. */
const placeholders: string[] = [];
const placeholder = (n: number): string => (placeholders[n] ??= `$${n}, true)`);

/** A value as a bind parameter: NUL cannot be sent in text format (refused as the literals were). */
function checked(v: string): string {
  if (v.includes('\0')) throw new UnsafeIdentifierError('value contains a NUL character');
  return v;
}

// ---------------------------------------------------------------- pipeline (PostgreSQL)

interface Rendered {
  readonly text: string;
  readonly values: readonly string[];
}

// A user's shared settings rendered once (a frozen array is the same for every request of that
// user and schema; see requestSettings); others are rendered each time.
const sharedRendered = new WeakMap<SettingPairs, Rendered>();

function renderPairs(pairs: SettingPairs, pieces: string[], values: string[]): void {
  for (let i = 0; i < pairs.length; i++) {
    const [k, v] = pairs[i] as readonly [string, string];
    values.push(checked(v));
    pieces.push(values.length === 1 ? '' : ', ', keyText(k), placeholder(values.length));
  }
}

function renderShared(shared: SettingPairs): Rendered {
  let r = sharedRendered.get(shared);
  if (r === undefined) {
    const pieces: string[] = [];
    const values: string[] = [];
    renderPairs(shared, pieces, values);
    r = { text: pieces.join(''), values };
    if (Object.isFrozen(shared)) sharedRendered.set(shared, r);
  }
  return r;
}

/** `SELECT set_config('role', $1, true), …`: names in the text, every value a parameter. */
export function settingsStatement({ shared, own }: TxSettings): Statement {
  const head = renderShared(shared);
  const values = head.values.slice();
  const pieces = ['SELECT ', head.text];
  renderPairs(own, pieces, values);
  return { text: pieces.join(''), values, rows: false };
}

// A statement's `$n` text and values, once per fragment: a compiled (cached) statement is the same
// Sql object for every request; one bound per request (Sql.bind) is a few pieces to walk.
const boundCache = new WeakMap<Sql, Statement>();

function walk(fragment: Sql, pieces: string[], values: (string | null)[]): void {
  for (const p of fragment.parts) {
    if (typeof p === 'string') pieces.push(p);
    else if (p instanceof Sql) walk(p, pieces, values);
    else {
      values.push(valueOf(p));
      pieces.push(`$${values.length}`);
    }
  }
}

function valueOf(p: Param | Slot): string | null {
  if (p.kind === 'slot') throw new Error('a statement with an open slot was rendered: bind it first');
  return p.value === null ? null : checked(p.value);
}

/** `{ text: 'SELECT … WHERE "id" = $1', values: ['7'] }`, the text joined once into a flat string. */
export function boundStatement(fragment: Sql): Statement {
  let s = boundCache.get(fragment);
  if (s === undefined) {
    const pieces: string[] = [];
    const values: (string | null)[] = [];
    walk(fragment, pieces, values);
    boundCache.set(fragment, (s = { text: pieces.join(''), values }));
  }
  return s;
}

/** What a request sends first, and where its results are. */
export interface RenderedRequest<S extends Script> {
  readonly script: S;
  readonly beforeIndex: number;
  readonly mainIndex: number;
  /** The transaction ends inside the script (a constant `end`). */
  readonly endsInline: boolean;
}

/** The request's statements as one pipeline: BEGIN, settings, `before`, main, and a constant end. */
export function requestPipeline(tx: RequestTx): RenderedRequest<readonly Statement[]> {
  const statements: Statement[] = [tx.readOnly ? begins.readOnly : begins.readWrite];
  if (tx.settings.shared.length + tx.settings.own.length > 0) statements.push(settingsStatement(tx.settings));
  const beforeIndex = statements.length;
  for (const b of tx.before) statements.push(boundStatement(b));
  const mainIndex = statements.length;
  statements.push(boundStatement(tx.main));
  const endsInline = typeof tx.end === 'string';
  if (typeof tx.end === 'string') statements.push(ends[tx.end]);
  return { script: statements, beforeIndex, mainIndex, endsInline };
}

// ---------------------------------------------------------------- inline script (PGlite)

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

function pushSettings(pieces: string[], { shared, own }: TxSettings): void {
  pieces.push('SELECT ');
  if (shared.length > 0 && Object.isFrozen(shared)) pieces.push(sharedText(shared));
  else pushPairs(pieces, shared, true);
  pushPairs(pieces, own, shared.length === 0);
}

/**
 * The same statements as one simple-protocol script, values as literals, joined once into a flat
 * string (see inlineText in sql.ts: text grown piece by piece is a rope the engine walks again).
 */
export function requestScript(tx: RequestTx): RenderedRequest<string> {
  const pieces: string[] = [tx.readOnly ? begins.readOnly.text : begins.readWrite.text];
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

// ---------------------------------------------------------------- running

type Results = Promise<ReadonlyArray<{ readonly rows: unknown[] }>>;

/**
 * What a backend provides to run a request on its one connection: `exec` runs a script in one round
 * trip, one result per statement; `rollback` ends a failed transaction and must not throw.
 * `inline: true` (PGlite: no server log, and one call instead of one per statement) takes the
 * statements as one simple-protocol script with the values inlined; otherwise exec gets a pipeline
 * with bound values. COMMIT and ROLLBACK after a decision come as strings either way.
 */
export type ScriptRunner =
  | { readonly inline: true; exec(script: string): Results; rollback(): Promise<void> }
  | { readonly inline?: false; exec(script: Script): Results; rollback(): Promise<void> };

/** Strings to an inline runner, pipelines and strings to the others. */
function exec(runner: ScriptRunner, script: Script): Results {
  if (runner.inline !== true) return runner.exec(script);
  if (typeof script !== 'string') return Promise.reject(new Error('an inline runner was given a pipeline'));
  return runner.exec(script);
}

/** Runs a RequestTx: its statements in one round trip, then the commit decision when it needs the rows. */
export async function runRequest(tx: RequestTx, runner: ScriptRunner): Promise<RequestResult> {
  const { script, beforeIndex, mainIndex, endsInline }: RenderedRequest<Script> = runner.inline === true ? requestScript(tx) : requestPipeline(tx);
  let results: ReadonlyArray<{ readonly rows: unknown[] }>;
  try {
    results = await exec(runner, script);
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
    await exec(runner, decision === 'commit' ? 'COMMIT' : 'ROLLBACK');
  } catch (err) {
    await runner.rollback();
    throw err;
  }
  return { rows, before, committed: decision === 'commit' };
}
