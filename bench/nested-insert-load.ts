// The clients of the nested insert cell (bench/nested-insert.ts): N closed-loop clients on keep-alive
// connections, each creating orders of 10 lines (the seed's purchases and purchase_items) one after
// the other, either with one nested request or as a client must without nested inserts (the order,
// its id read back, then each line: 11 requests). One client implementation for both.
import { Agent, request } from 'node:http';
import { percentile } from './load/http-load.js';

export type Workload = 'nested' | 'eleven';

export interface OrderLoadResult {
  readonly workload: Workload;
  readonly connections: number;
  readonly orders: number;
  readonly requests: number;
  readonly seconds: number;
  readonly ordersPerSecond: number;
  readonly requestsPerSecond: number;
  /** Time to create one whole order (all its requests), ms. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly firstError: string | null;
}

export const LINES = 10;

const lines = (order: number) => Array.from({ length: LINES }, (_, j) => ({ sku: `sku-${j}`, qty: 1 + ((order + j) % 5) }));

function post(agent: Agent, base: URL, path: string, body: string, prefer: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({
      agent, host: base.hostname, port: base.port, method: 'POST', path,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), Prefer: prefer },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** One order, as `workload` creates it; the number of requests it took. */
async function createOrder(agent: Agent, base: URL, workload: Workload, n: number): Promise<number> {
  const ok = (r: { status: number; text: string }) => {
    if (r.status >= 300) throw new Error(`HTTP ${r.status}: ${r.text.slice(0, 300)}`);
    return r.text;
  };
  if (workload === 'nested') {
    ok(await post(agent, base, '/purchases?select=id', JSON.stringify({ title: `bench order ${n}`, purchase_items: lines(n) }), 'return=representation'));
    return 1;
  }
  const [order] = JSON.parse(ok(await post(agent, base, '/purchases?select=id', JSON.stringify({ title: `bench order ${n}` }), 'return=representation'))) as Array<{ id: number }>;
  for (const line of lines(n)) ok(await post(agent, base, '/purchase_items', JSON.stringify({ purchase_id: order?.id, ...line }), 'return=minimal'));
  return 1 + LINES;
}

export interface OrderLoadOptions {
  readonly url: string;
  readonly workload: Workload;
  readonly connections: number;
  readonly warmupMs: number;
  readonly durationMs: number;
}

export async function runOrderLoad(o: OrderLoadOptions): Promise<OrderLoadResult> {
  const base = new URL(o.url);
  const agent = new Agent({ keepAlive: true, maxSockets: o.connections });
  const start = performance.now();
  const measureFrom = start + o.warmupMs;
  const end = measureFrom + o.durationMs;
  const latencies: number[] = [];
  let requests = 0;
  let errors = 0;
  let firstError: string | null = null;
  let counter = 0;
  const client = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        const n = await createOrder(agent, base, o.workload, counter++);
        if (t0 >= measureFrom && performance.now() <= end) {
          latencies.push(performance.now() - t0);
          requests += n;
        }
      } catch (err) {
        errors++;
        firstError ??= err instanceof Error ? err.message : String(err);
      }
    }
  };
  await Promise.all(Array.from({ length: o.connections }, client));
  agent.destroy();
  const seconds = o.durationMs / 1000;
  latencies.sort((a, b) => a - b);
  return {
    workload: o.workload, connections: o.connections, orders: latencies.length, requests, seconds,
    ordersPerSecond: latencies.length / seconds, requestsPerSecond: requests / seconds,
    p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), errors, firstError,
  };
}
