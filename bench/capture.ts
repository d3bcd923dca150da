// Learns the exact SQL PeSquel sends for each scenario: a pass-through TCP proxy in front of
// PostgreSQL records every simple-protocol Query message ('Q') and every extended-protocol pipeline
// (Parse/Bind … Sync, PeSquel's requests since its values became bind parameters) as one script with
// the bound values inlined as literals, so baselines replay the same statements in one round trip.
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { quoteLiteral } from '../src/sql/sql.js';

export interface CapturedQuery {
  readonly conn: number;
  readonly text: string;
}

/** A C string at `at`: its text and the offset after its NUL. */
function cstring(buf: Buffer, at: number): [string, number] {
  const end = buf.indexOf(0, at);
  return [buf.toString('utf8', at, end), end + 1];
}

/** A Bind message's statement name, from the payload after the type byte and length. */
const bindStatement = (msg: Buffer): string => cstring(msg, cstring(msg, 0)[1])[0];

/** A Bind message's parameter values (text format), from the payload after the type byte and length. */
function bindValues(msg: Buffer): (string | null)[] {
  let o = cstring(msg, cstring(msg, 0)[1])[1]; // portal, statement
  o += 2 + 2 * msg.readInt16BE(o); // parameter format codes
  const n = msg.readInt16BE(o);
  o += 2;
  const values: (string | null)[] = [];
  for (let i = 0; i < n; i++) {
    const len = msg.readInt32BE(o);
    o += 4;
    values.push(len < 0 ? null : msg.toString('utf8', o, o + len));
    if (len > 0) o += len;
  }
  return values;
}

/** `$n` placeholders replaced by the bound values as literals (PeSquel's own quoting). */
export const inlineValues = (text: string, values: readonly (string | null)[]) =>
  text.replace(/\$(\d+)/g, (_, n: string) => quoteLiteral(values[Number(n) - 1] ?? null));

/** Frontend message reader: the untyped startup packet(s) first, then type byte + length + payload. */
class FrontendReader {
  private buf: Buffer = Buffer.alloc(0);
  private startup = true;
  /**
   * Each statement's text by name ('' the unnamed one): PeSquel prepares its statements
   * (db-prepared-statements), so a later request Binds a name parsed by an earlier one.
   */
  private readonly parsed = new Map<string, string>();
  /** The statements bound since the last Sync. */
  private pipeline: string[] = [];

  constructor(private readonly onQuery: (text: string) => void, private readonly onRoundTrip: () => void) {}

  push(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    for (;;) {
      const off = this.startup ? 0 : 1;
      if (this.buf.length < off + 4) return;
      const len = this.buf.readInt32BE(off);
      if (this.buf.length < off + len) return;
      if (this.startup) {
        const code = this.buf.readInt32BE(4);
        // SSLRequest / GSSENCRequest are followed by another startup packet.
        if (code !== 80877103 && code !== 80877104) this.startup = false;
      } else if (this.buf[0] === 0x51) {
        this.onRoundTrip();
        this.onQuery(this.buf.subarray(5, off + len - 1).toString('utf8'));
      } else if (this.buf[0] === 0x50) {
        const msg = this.buf.subarray(5, off + len);
        const [name, at] = cstring(msg, 0);
        this.parsed.set(name, cstring(msg, at)[0]);
      } else if (this.buf[0] === 0x42) {
        const msg = this.buf.subarray(5, off + len);
        const text = this.parsed.get(bindStatement(msg));
        if (text === undefined) throw new Error(`capture: Bind of statement "${bindStatement(msg)}" that was never parsed on this connection`);
        this.pipeline.push(inlineValues(text, bindValues(msg)));
      } else if (this.buf[0] === 0x43 && this.buf[5] === 0x53) { // Close of a statement
        this.parsed.delete(cstring(this.buf.subarray(6, off + len), 0)[0]);
      } else if (this.buf[0] === 0x53) {
        this.onRoundTrip(); // Sync ends an extended-protocol exchange
        if (this.pipeline.length > 0) this.onQuery(this.pipeline.join(';\n'));
        this.pipeline = [];
      }
      this.buf = this.buf.subarray(off + len);
    }
  }
}

export class CaptureProxy {
  readonly queries: CapturedQuery[] = [];
  /** Simple queries plus extended-protocol Syncs seen so far: each waits for the server once. */
  roundTrips = 0;
  private readonly sockets = new Set<Socket>();
  private constructor(private readonly server: Server, readonly port: number) {}

  static async start(upstreamHost: string, upstreamPort: number): Promise<CaptureProxy> {
    let proxy: CaptureProxy | null = null;
    let conns = 0;
    const server = createServer((client) => {
      const id = ++conns;
      const upstream = connect({ host: upstreamHost, port: upstreamPort });
      proxy?.sockets.add(client);
      proxy?.sockets.add(upstream);
      const reader = new FrontendReader((text) => proxy?.queries.push({ conn: id, text }), () => {
        if (proxy) proxy.roundTrips++;
      });
      client.on('data', (d: Buffer) => {
        reader.push(d);
        upstream.write(d);
      });
      upstream.pipe(client);
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('close', end).on('error', end);
      upstream.on('close', end).on('error', end);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    proxy = new CaptureProxy(server, (server.address() as AddressInfo).port);
    return proxy;
  }

  /**
   * The request transaction among the queries recorded since `from`: the script that starts with
   * BEGIN, plus any COMMIT/ROLLBACK sent separately on the same connection.
   */
  transactionSince(from: number): string[] | null {
    const recent = this.queries.slice(from);
    const begin = recent.find((q) => /^\s*BEGIN\b/i.test(q.text));
    if (!begin) return null;
    const mine = recent.filter((q) => q.conn === begin.conn);
    const tx: string[] = [];
    for (const q of mine.slice(mine.indexOf(begin))) {
      tx.push(q.text);
      if (/\b(COMMIT|ROLLBACK)\s*;?\s*$/i.test(q.text)) break;
    }
    return tx;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
