// A request on a node-postgres client without pg's general-purpose Query: a custom submittable
// (the driver's public extension point, as pg-cursor uses) that writes the whole request in ONE
// socket write and collects each statement's rows. A pipeline (the API's requests) is, per
// statement, Parse / Bind / Describe / Execute of the unnamed statement and portal (safe behind
// pgBouncer 1.18 in transaction mode), values as text parameters, then one Sync; a string is one
// simple-protocol Query (COMMIT, ROLLBACK, tests). After an error the server skips to the Sync and
// answers ReadyForQuery, exactly as it ends a failing simple-protocol script.
// Rows are built as pg builds them (column name → value, the same type parsers, a later duplicate
// name wins), but without an EventEmitter, a Result object per statement and the promise wrapper
// of client.query: measured in a loop, collecting a request's four results took 6.8 µs through
// pg's Query and 0.5–1 µs here.
import pg from 'pg';
import type { PreparedPlan, StatementCache } from './prepared.js';
import type { Script, Statement } from './request-script.js';

/** The pool's type parsers: int8 stays text (counts and bigint columns keep their precision). */
export const types = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? (v: string) => v : pg.types.getTypeParser(oid, format as 'text'),
};

type Parser = (text: string) => unknown;
const parsers = new Map<number, Parser>();
const parserFor = (oid: number): Parser => {
  let p = parsers.get(oid);
  if (p === undefined) parsers.set(oid, (p = types.getTypeParser(oid, 'text') as Parser));
  return p;
};

export interface ScriptResult {
  readonly rows: Record<string, unknown>[];
}

interface FieldMessage { readonly name: string; readonly dataTypeID: number }
interface Connection {
  readonly stream: { readonly writable: boolean; write(data: Buffer): boolean };
  query(text: string): void;
  sendCopyFail(message: string): void;
}

/** Upper bound of a string's UTF-8 size: at most 3 bytes per UTF-16 unit (a pair takes 4 for 2). */
const maxBytes = (s: string) => 3 * s.length;

/** Pipelines up to this bound are encoded in the scratch buffer (larger ones, e.g. bulk bodies, get their own). */
const SCRATCH_MAX = 1 << 20;
let scratch = Buffer.allocUnsafe(16 * 1024);

/**
 * Encodes a pipeline into one buffer (one write, one TCP segment for a small request):
 *   Close   'C' len 'S' name                       — statements evicted from the connection's cache
 *   Close, Parse 'P' len name text 0 int16(0)      — only for a statement not yet prepared (name ""
 *                                                    for the unnamed one: no Close); parameter types inferred
 *   Bind    'B' len "" name int16(n) int16(0)… int16(n) {int32 len | -1, bytes}… int16(1) int16(0)
 *                                                  — parameters and results in text format
 *   Describe 'D' len 'P' ""                         — the row description of the unnamed portal
 *                                                    (left out when the statement's rows are not needed)
 *   Execute 'E' len "" int32(0)                    — every row
 * and one Sync 'S' 4 at the end. Without a plan every statement is the unnamed one.
 */
export function encodePipeline(statements: readonly Statement[], plan?: PreparedPlan): Buffer {
  let size = 5;
  for (const name of plan?.close ?? []) size += 7 + name.length;
  for (let i = 0; i < statements.length; i++) {
    const st = statements[i] as Statement;
    const name = plan?.names[i] ?? '';
    size += 41 + 3 * name.length + 7 + maxBytes(st.text); // Close 7 + name, Parse 9 + name + text, Bind 15 + name, Describe 7, Execute 10
    for (const v of st.values) size += 6 + (v === null ? 0 : maxBytes(v));
  }
  // Encoded into a reused scratch buffer, then copied into one of exactly the right size (from
  // Node's buffer pool when small): a fresh buffer of the upper bound per request was an unpooled
  // allocation above 4 KiB, 1.5 µs plus its collection, several times the encoding itself.
  const big = size > SCRATCH_MAX;
  if (!big && size > scratch.length) scratch = Buffer.allocUnsafe(Math.min(SCRATCH_MAX, 2 * size));
  const buf = big ? Buffer.allocUnsafe(size) : scratch;
  let o = 0;
  for (const name of plan?.close ?? []) o = close(buf, o, name);
  for (let i = 0; i < statements.length; i++) {
    const st = statements[i] as Statement;
    const name = plan?.names[i] ?? '';
    if (plan === undefined || plan.parse[i] === true) {
      if (name !== '') o = close(buf, o, name);
      buf[o] = 0x50; // Parse
      const at = o + 1;
      o += 5;
      o += buf.write(name, o, 'latin1');
      buf[o++] = 0;
      o += buf.write(st.text, o, 'utf8');
      buf[o++] = 0;
      o = buf.writeInt16BE(0, o);
      buf.writeInt32BE(o - at, at);
    }
    buf[o] = 0x42; // Bind
    const at = o + 1;
    o += 5;
    buf[o++] = 0;
    o += buf.write(name, o, 'latin1');
    buf[o++] = 0;
    const n = st.values.length;
    o = buf.writeUInt16BE(n, o);
    buf.fill(0, o, o + 2 * n); // every parameter in text format
    o = buf.writeUInt16BE(n, o + 2 * n);
    for (const v of st.values) {
      if (v === null) {
        o = buf.writeInt32BE(-1, o);
      } else {
        const bytes = buf.write(v, o + 4, 'utf8');
        buf.writeInt32BE(bytes, o);
        o += 4 + bytes;
      }
    }
    o = buf.writeInt16BE(1, o); // one result format for all columns: text
    o = buf.writeInt16BE(0, o);
    buf.writeInt32BE(o - at, at);
    if (st.rows !== false) {
      buf[o++] = 0x44; // Describe the portal: without its RowDescription, rows are not collected
      o = buf.writeInt32BE(6, o);
      buf[o++] = 0x50;
      buf[o++] = 0;
    }
    buf[o++] = 0x45; // Execute
    o = buf.writeInt32BE(9, o);
    buf[o++] = 0;
    o = buf.writeInt32BE(0, o);
  }
  buf[o++] = 0x53; // Sync
  o = buf.writeInt32BE(4, o);
  if (big) return buf.subarray(0, o);
  const out = Buffer.allocUnsafe(o);
  buf.copy(out, 0, 0, o);
  return out;
}

/** Close 'C' len 'S' name: a prepared statement (not an error when there is none of that name). */
function close(buf: Buffer, o: number, name: string): number {
  buf[o++] = 0x43;
  o = buf.writeInt32BE(6 + name.length, o);
  buf[o++] = 0x53;
  o += buf.write(name, o, 'latin1');
  buf[o++] = 0;
  return o;
}

/** What pg's client calls on the query it is running (see pg/lib/client.js). */
class ScriptQuery {
  private readonly results: ScriptResult[] = [];
  private names: string[] = [];
  private parse: Parser[] = [];
  private rows: Record<string, unknown>[] = [];
  /** The current statement's rows were described (always, in the simple protocol). */
  private described = false;
  /** A value that failed to parse: reported once the server is ready again, as pg's Query does. */
  private failed: Error | null = null;
  private done = false;

  private readonly plan: PreparedPlan | undefined;

  constructor(
    private readonly script: Script,
    /** Called exactly once. pg may wrap it (query timeouts), so it is a property. */
    public callback: (err: Error | null, results?: ScriptResult[]) => void,
    /** The connection's prepared statements: a pipeline uses and extends them. */
    private readonly cache?: StatementCache,
  ) {
    this.plan = typeof script !== 'string' && cache !== undefined ? cache.plan(script) : undefined;
  }

  submit(connection: Connection): null {
    if (typeof this.script === 'string') connection.query(this.script);
    else if (connection.stream.writable) connection.stream.write(encodePipeline(this.script, this.plan));
    return null;
  }

  handleRowDescription(msg: { fields: readonly FieldMessage[] }): void {
    this.described = true;
    const n = msg.fields.length;
    this.names = new Array<string>(n);
    this.parse = new Array<Parser>(n);
    for (let i = 0; i < n; i++) {
      const f = msg.fields[i] as FieldMessage;
      this.names[i] = f.name;
      this.parse[i] = parserFor(f.dataTypeID);
    }
  }

  handleDataRow(msg: { fields: readonly (string | null)[] }): void {
    if (this.failed || !this.described) return; // a pipeline statement whose rows were not asked for
    const row: Record<string, unknown> = {};
    const values = msg.fields;
    try {
      for (let i = 0; i < values.length; i++) {
        const v = values[i] as string | null;
        row[this.names[i] as string] = v === null ? null : (this.parse[i] as Parser)(v);
      }
    } catch (err) {
      this.failed = err instanceof Error ? err : new Error(String(err));
      return;
    }
    this.rows.push(row);
  }

  handleCommandComplete(): void {
    this.results.push({ rows: this.rows });
    this.rows = [];
    this.described = false;
  }

  /** An empty statement: its result, so the results stay one per statement. */
  handleEmptyQuery(): void {
    if (typeof this.script !== 'string') this.handleCommandComplete();
  }

  handleError(err: Error): void {
    this.finish(err);
  }

  handleReadyForQuery(): void {
    this.finish(this.failed, this.results);
  }

  // A request never contains COPY, but a function it calls could try.
  handleCopyInResponse(connection: Connection): void {
    connection.sendCopyFail('COPY is not supported in an API request');
  }

  handleCopyData(): void {}

  handlePortalSuspended(): void {}

  private finish(err: Error | null, results?: ScriptResult[]): void {
    if (this.done) return;
    this.done = true;
    // The statements that completed were parsed; after an error the server skipped the rest.
    if (this.plan !== undefined) this.cache?.confirm(this.plan, this.results.length);
    this.callback(err, results);
  }
}

/**
 * Runs a script (one simple-protocol Query, its statements separated by `;`) or a pipeline on the
 * client in one round trip: each statement's rows, in order.
 */
export function runScript(client: pg.ClientBase, script: Script, cache?: StatementCache): Promise<ScriptResult[]> {
  return new Promise((resolve, reject) => {
    const query = new ScriptQuery(script, (err, results) => (err ? reject(err) : resolve(results ?? [])), cache);
    client.query(query as unknown as pg.Submittable);
  });
}
