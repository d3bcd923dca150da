// A small closed-loop HTTP/1.1 load generator on raw keep-alive sockets: N connections, each sending
// its next request as soon as the previous response is complete, for a fixed time. Chosen over
// autocannon because it costs less CPU per request on a 2-core machine shared with the servers,
// and needs no dependency. Responses are framed by Content-Length or chunked encoding.
import { connect, type Socket } from 'node:net';
import { ResponseParser } from './response-parser.js';

export interface LoadRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface LoadOptions {
  readonly host: string;
  readonly port: number;
  readonly connections: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  /** Cycled over, one per request. */
  readonly requests: readonly LoadRequest[];
  readonly timeoutMs?: number;
}

export interface LoadResult {
  readonly requests: number;
  readonly seconds: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  /** Socket errors, timeouts and unexpected closes. */
  readonly errors: number;
  readonly non2xx: number;
  readonly bytesPerResponse: number;
  readonly firstError: string | null;
  /** Every response, warm-up included (to divide the server's CPU time over the same span by). */
  readonly allResponses: number;
}

function serialize(r: LoadRequest, host: string, port: number): Buffer {
  const body = r.body === undefined ? null : Buffer.from(r.body);
  const lines = [`${r.method} ${r.path} HTTP/1.1`, `Host: ${host}:${port}`, 'Connection: keep-alive'];
  for (const [k, v] of Object.entries(r.headers)) lines.push(`${k}: ${v}`);
  if (body) lines.push(`Content-Length: ${body.length}`);
  const head = Buffer.from(lines.join('\r\n') + '\r\n\r\n');
  return body ? Buffer.concat([head, body]) : head;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const wire = o.requests.map((r) => serialize(r, o.host, o.port));
  const timeoutMs = o.timeoutMs ?? 30_000;
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  let non2xx = 0;
  let bytes = 0;
  let all = 0;
  let firstError: string | null = null;
  let recording = false;
  let stopping = false;
  const fail = (msg: string) => {
    if (recording) errors++;
    firstError ??= msg;
  };

  const connection = (done: () => void) => {
    let sock: Socket | null = null;
    let started = 0;
    let timer: NodeJS.Timeout | undefined;
    const parser = new ResponseParser();
    const send = () => {
      if (stopping) {
        sock?.destroy();
        done();
        return;
      }
      started = performance.now();
      parser.reset();
      timer = setTimeout(() => {
        fail(`timeout after ${timeoutMs} ms`);
        open();
      }, timeoutMs);
      sock?.write(wire[next++ % wire.length] as Buffer);
    };
    // Replacing the socket makes the old one's events stale: each handler checks it is still current.
    const open = () => {
      sock?.destroy();
      const s = connect({ host: o.host, port: o.port, noDelay: true }, send);
      sock = s;
      s.on('data', (chunk: Buffer) => {
        if (s !== sock) return;
        let complete: boolean;
        try {
          complete = parser.push(chunk);
        } catch (err) {
          fail((err as Error).message);
          clearTimeout(timer);
          open();
          return;
        }
        if (!complete) return;
        clearTimeout(timer);
        all++;
        if (recording) {
          latencies.push(performance.now() - started);
          bytes += parser.bodyBytes;
          if (parser.status < 200 || parser.status > 299) {
            non2xx++;
            firstError ??= `HTTP ${parser.status}: ${parser.bodySample}`;
          }
        }
        send();
      });
      s.on('error', (err) => {
        if (s === sock) fail(err.message);
      });
      s.on('close', () => {
        if (s !== sock) return;
        clearTimeout(timer);
        if (stopping) {
          done();
          return;
        }
        fail('connection closed by the server');
        setTimeout(open, 10);
      });
    };
    open();
  };

  const finished: Promise<void>[] = [];
  for (let i = 0; i < o.connections; i++) finished.push(new Promise((resolve) => connection(resolve)));
  await new Promise((r) => setTimeout(r, o.warmupMs));
  recording = true;
  errors = 0;
  firstError = null;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, o.durationMs));
  recording = false;
  const seconds = (performance.now() - t0) / 1000;
  stopping = true;
  // Connections end after their in-flight response; a stuck one is cut off after the timeout.
  let cutoff: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(finished), new Promise((r) => (cutoff = setTimeout(r, timeoutMs)))]);
  clearTimeout(cutoff); // a pending timer would keep the process alive for the whole timeout

  const sorted = latencies.sort((a, b) => a - b);
  const n = sorted.length;
  return {
    requests: n,
    seconds,
    rps: n / seconds,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    meanMs: n === 0 ? 0 : sorted.reduce((a, b) => a + b, 0) / n,
    errors,
    non2xx,
    bytesPerResponse: n === 0 ? 0 : Math.round(bytes / n),
    firstError,
    allResponses: all,
  };
}
