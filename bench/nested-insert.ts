// The nested insert cell (issue 18): one order with 10 lines created by one nested request against
// the same data written with the 11 requests a client needs without nested inserts, on PeSquel over
// PostgreSQL, throughput and latency side by side. Rounds alternate the order of the two workloads.
//   npx tsx bench/nested-insert.ts [--quick] [--connections 1,10,50] [--duration MS] [--rounds N] [--from-source]
// Writes bench/results/nested-insert-latest.{md,json} and prints the Markdown table.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from './build.js';
import { runOrderLoad, LINES, type OrderLoadResult, type Workload } from './nested-insert-load.js';
import { repoRoot } from './servers/child.js';
import { startPesquel } from './servers/fleet.js';
import { startServerStack } from './stack.js';
import { medianOf } from './report/compare.js';

const POOL = 10;
/** The middle value (the mean of the two middle ones for an even count); 0 for none. */
const median = (xs: readonly number[]): number => (xs.length === 0 ? 0 : medianOf(xs));
const flag = (argv: readonly string[], name: string) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };

export interface NestedCell { readonly connections: number; readonly runs: readonly OrderLoadResult[] }

/** The median round of each workload at each connection count, as a Markdown table. */
export function nestedTable(cells: readonly NestedCell[]): string {
  const head = ['connections', 'workload', 'orders/s', 'HTTP req/s', 'order latency p50 ms', 'p99 ms', 'errors'];
  const rows: string[][] = [];
  for (const c of cells) {
    const pick = (w: Workload) => c.runs.filter((r) => r.workload === w);
    const stat = (w: Workload, f: (r: OrderLoadResult) => number) => median(pick(w).map(f));
    for (const w of ['nested', 'eleven'] as const) {
      rows.push([String(c.connections), w === 'nested' ? '1 nested request' : `${1 + LINES} requests`, stat(w, (r) => r.ordersPerSecond).toFixed(0),
        stat(w, (r) => r.requestsPerSecond).toFixed(0), stat(w, (r) => r.p50Ms).toFixed(2), stat(w, (r) => r.p99Ms).toFixed(2), String(pick(w).reduce((s, r) => s + r.errors, 0))]);
    }
    const ratio = stat('nested', (r) => r.ordersPerSecond) / Math.max(1e-9, stat('eleven', (r) => r.ordersPerSecond));
    const lat = stat('eleven', (r) => r.p50Ms) / Math.max(1e-9, stat('nested', (r) => r.p50Ms));
    rows.push([String(c.connections), '**nested ÷ 11 requests**', `**${ratio.toFixed(2)}×**`, '', `**${lat.toFixed(2)}× faster**`, '', '']);
  }
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

async function main(argv: readonly string[]): Promise<void> {
  const quick = argv.includes('--quick');
  const connections = (flag(argv, '--connections') ?? (quick ? '10' : '1,10,50')).split(',').map(Number);
  const durationMs = Number(flag(argv, '--duration') ?? (quick ? 1500 : 3000));
  const rounds = Number(flag(argv, '--rounds') ?? (quick ? 1 : 3));
  const log = (l: string) => process.stderr.write(`${l}\n`);
  const fromSource = argv.includes('--from-source');
  if (!fromSource) ensureBuilt(repoRoot, log);
  log('PostgreSQL + pgBouncer with the seed (api.purchases, api.purchase_items)');
  const stack = await startServerStack(100, POOL);
  try {
    const server = await startPesquel('pesquel', { dbUri: stack.directUri }, POOL, { fromSource });
    try {
      const cells: NestedCell[] = [];
      for (const c of connections) {
        const runs: OrderLoadResult[] = [];
        for (let round = 0; round < rounds; round++) {
          const order: Workload[] = round % 2 === 0 ? ['nested', 'eleven'] : ['eleven', 'nested'];
          for (const workload of order) {
            const r = await runOrderLoad({ url: server.url, workload, connections: c, warmupMs: Math.min(1000, durationMs / 2), durationMs });
            log(`c=${c} round ${round + 1} ${workload}: ${r.ordersPerSecond.toFixed(0)} orders/s, p50 ${r.p50Ms.toFixed(2)} ms${r.firstError ? `, error: ${r.firstError}` : ''}`);
            runs.push(r);
          }
          await stack.sql("DELETE FROM api.purchases WHERE title LIKE 'bench order %'");
        }
        cells.push({ connections: c, runs });
      }
      const md = `## Nested inserts: one order with ${LINES} lines\n\nPeSquel over PostgreSQL (direct, pool ${POOL}); median of ${rounds} round(s) of ${durationMs} ms per workload, order alternating.\n\n${nestedTable(cells)}\n`;
      const out = fileURLToPath(new URL('./results/', import.meta.url));
      mkdirSync(out, { recursive: true });
      writeFileSync(`${out}/nested-insert-latest.md`, md);
      writeFileSync(`${out}/nested-insert-latest.json`, JSON.stringify({ startedAt: new Date().toISOString(), durationMs, rounds, cells }, null, 1));
      process.stdout.write(md);
    } finally {
      await server.stop();
    }
  } finally {
    await stack.close();
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then(() => process.exit(0), (err: unknown) => {
    console.error(err instanceof Error ? err.stack : String(err));
    process.exit(1);
  });
}
