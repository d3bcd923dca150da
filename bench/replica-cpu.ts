// Where a read's CPU goes with and without a read replica: PeSquel, the primary and the replica, per
// request, for GET 10 rows read from the primary and from a streaming replica, in alternating rounds.
// Usage: npx tsx bench/replica-cpu.ts [--rounds 5] [--duration 3000] [--prewarm 5000] [--connections 50] [--todos 10000]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runLoad } from './load/http-load.js';
import { requestsFor } from './requests.js';
import { withReplica } from './replica.js';
import { scenario } from './scenarios.js';
import { cpuSecondsOf, type ChildServer } from './servers/child.js';
import { startPesquel } from './servers/fleet.js';
import { startServerStack } from './stack.js';
import { processTreeCpuSeconds as treeCpuSeconds } from './workers.js';
import { medianOf } from './report/compare.js';

const flag = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

const postmaster = (dataDir: string) => Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);

interface Sample { readonly rps: number; readonly pesquel: number; readonly primary: number; readonly replica: number; readonly errors: number }

async function measure(server: ChildServer, pids: { primary: number; replica: number }, connections: number, durationMs: number): Promise<Sample> {
  const requests = requestsFor(scenario('get-10'), 'anon', '');
  const base = { host: server.host, port: server.port, connections, requests };
  await runLoad({ ...base, warmupMs: 0, durationMs: 1000 });
  const before = { pesquel: cpuSecondsOf(server.pid), primary: treeCpuSeconds(pids.primary), replica: treeCpuSeconds(pids.replica) };
  const load = await runLoad({ ...base, warmupMs: 0, durationMs });
  const per = (now: number, then: number) => ((now - then) * 1000) / Math.max(1, load.allResponses);
  return {
    rps: load.rps, errors: load.errors + load.non2xx,
    pesquel: per(cpuSecondsOf(server.pid), before.pesquel),
    primary: per(treeCpuSeconds(pids.primary), before.primary),
    replica: per(treeCpuSeconds(pids.replica), before.replica),
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
    const run = { fromSource: true };
    const direct = await startPesquel('pesquel-direct', { dbUri: stack.directUri }, 10, run);
    servers.push(direct);
    let replicaDir = '';
    const routed = await withReplica(stack, (uri, replica) => {
      replicaDir = replica.dataDir;
      return startPesquel('pr-direct', { dbUri: stack.directUri, replicaUris: uri }, 10, run);
    });
    servers.push(routed);
    const pids = { primary: postmaster(stack.pg.dataDir), replica: postmaster(replicaDir) };
    // A fresh process needs seconds of load before its CPU per request settles (bench/README.md).
    for (const s of servers) await runLoad({ host: s.host, port: s.port, connections: 10, warmupMs: 0, durationMs: flag('--prewarm', 5000), requests: requestsFor(scenario('get-10'), 'anon', '') });
    const samples: Record<'primary' | 'replica', Sample[]> = { primary: [], replica: [] };
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? (['primary', 'replica'] as const) : (['replica', 'primary'] as const);
      for (const target of order) {
        const s = await measure(target === 'primary' ? direct : routed, pids, connections, durationMs);
        samples[target].push(s);
        process.stderr.write(`round ${r + 1} ${target}: ${s.rps.toFixed(0)} req/s, CPU ms/req PeSquel ${s.pesquel.toFixed(3)} primary ${s.primary.toFixed(3)} replica ${s.replica.toFixed(3)}, errors ${s.errors}\n`);
      }
    }
    const row = (t: 'primary' | 'replica') => {
      const m = (k: keyof Sample) => medianOf(samples[t].map((s) => s[k]));
      return `| ${t} | ${m('rps').toFixed(0)} | ${m('pesquel').toFixed(3)} | ${m('primary').toFixed(3)} | ${m('replica').toFixed(3)} | ${(m('pesquel') + m('primary') + m('replica')).toFixed(3)} | ${samples[t].reduce((a, s) => a + s.errors, 0)} |`;
    };
    process.stdout.write(`GET 10 rows, ${connections} connections, ${rounds} rounds of ${durationMs} ms (medians), pool 10:\n\n` +
      '| reads from | req/s | CPU ms/req PeSquel | primary | replica | total | errors |\n|---|---|---|---|---|---|---|\n' +
      `${row('primary')}\n${row('replica')}\n`);
  } finally {
    for (const s of servers) await s.stop();
    await stack.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : String(err));
  process.exit(1);
});
