// Where a request's CPU goes with one PeSquel process and with --workers 2: PeSquel's processes (the
// primary and its workers) and PostgreSQL's, per request, for GET 10 rows, in alternating rounds; the
// figures bench/README.md (Workers) projects to 16 cores.
// Usage: npx tsx bench/workers-cpu.ts [--rounds 5] [--duration 3000] [--prewarm 5000] [--connections 50] [--todos 10000]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runLoad } from './load/http-load.js';
import { requestsFor } from './requests.js';
import { scenario } from './scenarios.js';
import type { ChildServer } from './servers/child.js';
import { startPesquel } from './servers/fleet.js';
import { startServerStack } from './stack.js';
import { processTreeCpuSeconds } from './workers.js';
import { medianOf } from './report/compare.js';

const flag = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

interface Sample { readonly rps: number; readonly pesquel: number; readonly postgres: number; readonly errors: number }

const requests = () => requestsFor(scenario('get-10'), 'anon', '');

async function measure(server: ChildServer, postmaster: number, connections: number, durationMs: number): Promise<Sample> {
  const base = { host: server.host, port: server.port, connections, requests: requests() };
  await runLoad({ ...base, warmupMs: 0, durationMs: 1000 });
  const before = { pesquel: processTreeCpuSeconds(server.pid), postgres: processTreeCpuSeconds(postmaster) };
  const load = await runLoad({ ...base, warmupMs: 0, durationMs });
  const per = (now: number, then: number) => ((now - then) * 1000) / Math.max(1, load.allResponses);
  return {
    rps: load.rps, errors: load.errors + load.non2xx,
    pesquel: per(processTreeCpuSeconds(server.pid), before.pesquel),
    postgres: per(processTreeCpuSeconds(postmaster), before.postgres),
  };
}

async function main(): Promise<void> {
  const rounds = flag('--rounds', 5);
  const durationMs = flag('--duration', 3000);
  const connections = flag('--connections', 50);
  const stack = await startServerStack(flag('--todos', 10_000), 10);
  const servers: ChildServer[] = [];
  try {
    // From src/ through tsx: no rebuild of dist/ under other work; steady-state CPU is the same.
    const one = await startPesquel('pesquel-direct', { dbUri: stack.directUri }, 10, { fromSource: true });
    servers.push(one);
    const two = await startPesquel('pw-direct', { dbUri: stack.directUri }, 10, { fromSource: true, workers: 2 });
    servers.push(two);
    const postmaster = Number(readFileSync(join(stack.pg.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    // A fresh process needs seconds of load before its CPU per request settles (bench/README.md).
    for (const s of servers) await runLoad({ host: s.host, port: s.port, connections: 10, warmupMs: 0, durationMs: flag('--prewarm', 5000), requests: requests() });
    const samples: Record<'one' | 'two', Sample[]> = { one: [], two: [] };
    for (let r = 0; r < rounds; r++) {
      for (const target of r % 2 === 0 ? (['one', 'two'] as const) : (['two', 'one'] as const)) {
        const s = await measure(target === 'one' ? one : two, postmaster, connections, durationMs);
        samples[target].push(s);
        process.stderr.write(`round ${r + 1} ${target}: ${s.rps.toFixed(0)} req/s, CPU ms/req PeSquel ${s.pesquel.toFixed(3)} PostgreSQL ${s.postgres.toFixed(3)}, errors ${s.errors}\n`);
      }
    }
    const row = (t: 'one' | 'two', label: string) => {
      const m = (k: keyof Sample) => medianOf(samples[t].map((s) => s[k]));
      return `| ${label} | ${m('rps').toFixed(0)} | ${m('pesquel').toFixed(3)} | ${m('postgres').toFixed(3)} | ${(m('pesquel') + m('postgres')).toFixed(3)} | ${samples[t].reduce((a, s) => a + s.errors, 0)} |`;
    };
    process.stdout.write(`GET 10 rows, ${connections} connections, ${rounds} rounds of ${durationMs} ms (medians), db-pool 10 per process:\n\n`
      + '| PeSquel | req/s | CPU ms/req PeSquel (all processes) | PostgreSQL | total | errors |\n|---|---|---|---|---|---|\n'
      + `${row('one', '1 process')}\n${row('two', '2 workers')}\n`);
  } finally {
    for (const s of servers) await s.stop();
    await stack.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : String(err));
  process.exit(1);
});
