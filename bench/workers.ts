// Workers on one host in the benchmark: the `workers` cell (GET 10 rows at 50 connections through
// PeSquel with one process, `pesquel`, and with --workers 2, `pw`), the CPU of a process tree (a
// primary and its workers), and the report's table. bench/README.md, Workers, reads the figures.
import { readFileSync } from 'node:fs';
import type { Cell } from './plan.js';
import type { RunResult, SuiteResult } from './suite.js';
import { scenario } from './scenarios.js';
import { cells, cpuRoundRatios, find, fmt, medianOf } from './report/compare.js';

/** GET 10 rows, 50 connections: one PeSquel process against the same build with 2 workers. */
export const workersCell = (rounds: number): Cell => ({
  section: 'workers', backend: 'direct', scenario: scenario('get-10'), auth: 'anon', connections: 50, targets: ['pesquel', 'pw'], rounds,
});

function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    return []; // exited meanwhile, or a kernel without CONFIG_PROC_CHILDREN
  }
}

/**
 * CPU seconds (user + system) of a process and all its descendants, live ones and those already
 * reaped (cutime/cstime). A single-process server gives its own time; a primary with workers the sum.
 */
export function processTreeCpuSeconds(pid: number): number {
  let ticks = 0;
  const todo = [pid];
  for (let p = todo.pop(); p !== undefined; p = todo.pop()) {
    try {
      const f = statFields(p);
      ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    } catch {
      continue; // exited between the listing and the read
    }
    todo.push(...childrenOf(p));
  }
  return ticks / 100;
}

const cpu = (r: RunResult | undefined) => (r?.cpuMsPerRequest == null ? '–' : r.cpuMsPerRequest.toFixed(3));

/** The report's table: req/s and CPU per request (all PeSquel processes) with one process and with 2 workers. */
export function workersTable(suite: SuiteResult): string {
  const keys = cells(suite, 'workers');
  if (keys.length === 0) return '_not run in this mode_';
  const rows = keys.map((k) => {
    const one = find(suite, k, 'pesquel');
    const two = find(suite, k, 'pw');
    const perRound = cpuRoundRatios(suite, k, 'pw', 'pesquel');
    const rps = one && two && one.rps > 0 && two.rps > 0 ? fmt.ratio(two.rps / one.rps) : '–';
    return [k.scenario, String(k.connections), fmt.rps(one), fmt.rps(two), rps, cpu(one), cpu(two),
      perRound.length === 0 ? '–' : `${medianOf(perRound).toFixed(2)}× (${perRound.map((x) => x.toFixed(2)).join(', ')})`,
      String((one?.errors ?? 0) + (two?.errors ?? 0))];
  });
  const head = ['scenario', 'connections', '1 process req/s', '2 workers req/s', '2 ÷ 1', 'CPU ms/req, 1 process',
    'CPU ms/req, 2 workers', 'CPU per request, 2 ÷ 1 (median; rounds)', 'errors'];
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}
