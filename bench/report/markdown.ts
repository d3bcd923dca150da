// Renders a suite as the Markdown report: targets first, then one table per question the issue
// asks (scenarios vs baselines, direct vs pgBouncer, concurrency, rows), then the raw facts.
import type { RunResult, SuiteResult } from '../suite.js';
import type { Target } from '../servers/fleet.js';
import { cells, cpuRoundRatios, find, fmt, medianOf, ratio, type CellKey } from './compare.js';
import { checkTargets } from './targets.js';
import { replicaTable } from '../replica.js';
import { workersTable } from '../workers.js';

const table = (head: string[], rows: string[][]) =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

const latency = (r: RunResult | undefined) => (!r || r.requests === 0 ? '–' : `${fmt.ms(r.p50Ms)} / ${fmt.ms(r.p99Ms)}`);
const errs = (r: RunResult | undefined) => (!r ? '–' : r.requests === 0 ? `✗ ${(r.error ?? '').split('\n')[0]?.slice(0, 90) ?? ''}` : String(r.errors));

function scenarioTable(suite: SuiteResult, backend: CellKey['backend']): string {
  const keys = cells(suite, 'scenarios').filter((k) => k.backend === backend);
  if (keys.length === 0) return '_not run in this mode_';
  const baselines: Target[] = backend === 'embedded' ? ['b4'] : ['b1', 'b2', 'b3'];
  const base = baselines[0] as Target;
  const head = ['scenario', 'auth', 'PeSquel req/s', 'p50 / p99 ms', 'peak RSS MB', 'errors', 'round trips',
    ...baselines.map((b) => `${b} req/s`), ...baselines.map((b) => `÷ ${b}`), `CPU ms/req PeSquel / ${base}`];
  const rows = keys.map((k) => {
    const p = find(suite, k, 'pesquel');
    const b = find(suite, k, base);
    const cpuMs = (r: RunResult | undefined) => (r?.cpuMsPerRequest == null ? '–' : r.cpuMsPerRequest.toFixed(2));
    return [k.scenario, k.auth, fmt.rps(p), latency(p), fmt.mb(p?.peakRssMb ?? null), errs(p), String(suite.roundTrips[`${k.scenario}|${k.auth}`] ?? '–'),
      ...baselines.map((t) => fmt.rps(find(suite, k, t))), ...baselines.map((t) => fmt.ratio(ratio(suite, k, t))), `${cpuMs(p)} / ${cpuMs(b)}`];
  });
  return table(head, rows);
}

function bouncerTable(suite: SuiteResult): string {
  const keys = cells(suite, 'scenarios').filter((k) => k.backend === 'pgbouncer');
  if (keys.length === 0) return '_not run in this mode_';
  const rows = keys.map((k) => {
    const d = { ...k, backend: 'direct' as const };
    const per = (t: Target) => {
      const a = find(suite, d, t);
      const b = find(suite, k, t);
      return [fmt.rps(a), fmt.rps(b), a && b && a.rps > 0 && b.rps > 0 ? fmt.ratio(b.rps / a.rps) : '–'];
    };
    return [k.scenario, k.auth, ...per('pesquel'), ...per('b1'), ...per('b3')];
  });
  return table(['scenario', 'auth', 'PeSquel direct', 'PeSquel pgBouncer', 'bouncer ÷ direct', 'b1 direct', 'b1 pgBouncer', 'bouncer ÷ direct',
    'pgbench direct', 'pgbench pgBouncer', 'bouncer ÷ direct'], rows);
}

function concurrencyTable(suite: SuiteResult): string {
  const keys = cells(suite, 'concurrency');
  if (keys.length === 0) return '_not run in this mode_';
  const rows = keys.map((k) => {
    const p = find(suite, k, 'pesquel');
    const base: Target = k.backend === 'embedded' ? 'b4' : 'b1';
    return [k.backend, k.scenario, String(k.connections), fmt.rps(p), latency(p), errs(p), fmt.mb(p?.peakRssMb ?? null),
      `${fmt.rps(find(suite, k, base))} (${base})`, fmt.ratio(ratio(suite, k, base)),
      k.backend === 'embedded' ? '–' : fmt.ratio(ratio(suite, k, 'b2'))];
  });
  return table(['backend', 'scenario', 'connections', 'PeSquel req/s', 'p50 / p99 ms', 'errors', 'peak RSS MB', 'baseline req/s', '÷ b1/b4', '÷ b2'], rows);
}

function rowsTable(suite: SuiteResult, section: 'rows' | 'memory'): string {
  const keys = cells(suite, section);
  if (keys.length === 0) return '_not run in this mode_';
  const growth = (r: RunResult | undefined) => (r && r.peakRssMb !== null && r.rssBeforeMb !== null ? (r.peakRssMb - r.rssBeforeMb).toFixed(1) : '–');
  const single = (r: RunResult | undefined) => (r?.singleGrowthMb?.length ? `${medianOf(r.singleGrowthMb).toFixed(1)} / ${Math.max(...r.singleGrowthMb).toFixed(1)}` : '–');
  const rows = keys.map((k) => {
    const p = find(suite, k, 'pesquel');
    const base: Target = k.backend === 'embedded' ? 'b4' : 'b1';
    const b = find(suite, k, base);
    return [k.backend, k.scenario.replace('rows-', ''), String(k.connections), p ? (p.bytesPerResponse / 1024).toFixed(1) : '–',
      fmt.rps(p), latency(p), fmt.mb(p?.rssBeforeMb ?? null), fmt.mb(p?.peakRssMb ?? null), growth(p),
      ...(section === 'memory' ? [single(p)] : []),
      `${fmt.rps(b)} (${base})`, fmt.ratio(ratio(suite, k, base)), growth(b), ...(section === 'memory' ? [single(b)] : [])];
  });
  return table(['backend', 'rows', 'connections', 'body KiB', 'PeSquel req/s', 'p50 / p99 ms', 'RSS before MB', 'peak RSS MB',
    'growth MB', ...(section === 'memory' ? ['lone request growth MB (median / max)'] : []),
    'baseline req/s', 'ratio', 'baseline growth MB', ...(section === 'memory' ? ['baseline lone request growth MB'] : [])], rows);
}

function loggingTable(suite: SuiteResult): string {
  const keys = cells(suite, 'logging');
  if (keys.length === 0) return '_not run in this mode_';
  const cpu = (r: RunResult | undefined) => (r?.cpuMsPerRequest == null ? '–' : r.cpuMsPerRequest.toFixed(3));
  const rows = keys.map((k) => {
    const p = find(suite, k, 'pesquel');
    const q = find(suite, k, 'pq');
    const perRound = cpuRoundRatios(suite, k, 'pesquel', 'pq');
    return [k.backend, k.scenario, String(k.connections), fmt.rps(p), fmt.rps(q), cpu(p), cpu(q),
      perRound.length === 0 ? '–' : `${medianOf(perRound).toFixed(2)}× (${perRound.map((x) => x.toFixed(2)).join(', ')})`];
  });
  return table(['backend', 'scenario', 'connections', 'default req/s', '--log-level error req/s', 'default CPU ms/req',
    '--log-level error CPU ms/req', 'CPU per request, default ÷ error (median; rounds)'], rows);
}

export function renderMarkdown(suite: SuiteResult): string {
  const checks = checkTargets(suite);
  const s = suite.settings;
  return `# PeSquel benchmark (${suite.mode})

${suite.startedAt}, ${suite.seconds.toFixed(0)} s. Machine: ${suite.machine.cpus} cores, load average before the run ${suite.machine.loadBefore.map((x) => x.toFixed(1)).join(' / ')}; Node ${suite.machine.node}; PostgreSQL ${suite.machine.postgres} (server), PGlite (embedded, PostgreSQL 17).
Fixture: ${s.todos} todos, ${Math.floor(s.todos / 2) * 2} comments, 1000 owners. Pool size ${s.poolSize} everywhere (PeSquel, baselines, pgBouncer, pgbench clients). Every server first gets ${s.prewarmMs} ms of load; each run: ${s.warmupMs} ms warm-up, then ${s.durationMs} ms measured (peak RSS and CPU over that window), closed-loop keep-alive connections.

Baselines: **b1** minimal node:http + pg, PeSquel's exact transaction in one round trip; **b2** the same, one round trip per statement; **b3** pgbench running that transaction (database ceiling, ${s.poolSize} clients); **b4** minimal node:http + PGlite in-process. "÷ bN" is PeSquel's throughput over the baseline's in the same cell (measured back to back). Cells behind the ratio targets run several rounds (order reversed every other round); each target's figures are its median round, and a ratio is the median of the per-round ratios (their range shown with the targets).

## Targets

${table(['target', 'measured (req/s ratio)', 'met', 'server CPU per request, baseline ÷ PeSquel'],
    checks.map((c) => [c.target, c.measured, c.met === null ? '–' : c.met ? 'yes' : '**no**', c.cpuRatio ?? '']))}

The req/s ratio decides a target. The CPU column shows the same comparison as process cost (user + system time of the server process per response over the measured window); on a shared, busy machine it moves less than throughput does. For the embedded backend everything runs in that one process, so it is the whole cost.

## The default configuration's cost: request logging

PeSquel runs with its default settings in every cell (a request line per request at level info, to
stdout, read by this benchmark). Here the same build also runs at --log-level error, in the same
rounds, order alternating.

${loggingTable(suite)}

## Scenarios, PostgreSQL direct

${scenarioTable(suite, 'direct')}

## Scenarios, through pgBouncer (transaction mode)

${scenarioTable(suite, 'pgbouncer')}

## Scenarios, embedded (PGlite)

${scenarioTable(suite, 'embedded')}

PGlite running the GET 10 rows transaction back to back in-process, no HTTP: ${suite.pgliteLoopTps === null ? '–' : `${suite.pgliteLoopTps.toFixed(0)} tx/s`}.

## Direct vs pgBouncer

${bouncerTable(suite)}

## Concurrency

${concurrencyTable(suite)}

## Rows returned (throughput and memory)

${rowsTable(suite, 'rows')}

### One connection (the streaming check)

Growth over a sustained one-connection loop, and of lone requests sent to a settled server: the
loop also counts garbage that V8 has not collected yet; a lone request shows the copies of the body
a response holds at once (the target uses its median).

${rowsTable(suite, 'memory')}

## Read replicas

GET 10 rows through PeSquel reading from the primary (\`pesquel\`) and from a streaming replica of it
(\`pr\`, db-replica-uris) on the same machine (bench/README.md, Read replicas).

${replicaTable(suite)}

## Workers on one host

GET 10 rows through one PeSquel process (\`pesquel\`) and through \`--workers 2\` (\`pw\`); CPU per
request counts every PeSquel process (primary and workers). On 2 cores shared with PostgreSQL and the
load generator, req/s cannot double (bench/README.md, Workers on one host).

${workersTable(suite)}

## Idle RSS of each server process (MB, after start)

${table(Object.keys(suite.idleRssMb), [Object.values(suite.idleRssMb).map(String)])}

${suite.profiles.map((p) => `## CPU profile: ${p.server} (${p.busySamples} busy samples after it was ready)

${table(['self time by function', '%'], p.functions.map((f) => [`\`${f.name}\``, f.pct.toFixed(1)]))}

${table(['self time by file / package', '%'], p.files.map((f) => [`\`${f.name}\``, f.pct.toFixed(1)]))}

${table(['inclusive time by file / package (on the stack)', '%'], p.inclusive.map((f) => [`\`${f.name}\``, f.pct.toFixed(1)]))}
`).join('\n')}
${Object.keys(suite.captureErrors).length === 0 ? '' : `## Scenarios the current build rejected

${table(['scenario|auth', 'error'], Object.entries(suite.captureErrors).map(([k, v]) => [k, v.replace(/\|/g, '\\|').replace(/\n/g, ' ').slice(0, 200)]))}
`}`;
}
