// Measures one cell: each target under the same load, back to back, with the server's peak RSS
// and CPU time over the measured window (pgbench for baseline 3); plus the warm-up and PGlite loop.
import { runLoad, type LoadRequest } from './load/http-load.js';
import type { Cell, Mode } from './plan.js';
import { runPgbench } from './pgbench.js';
import { requestsFor, scriptId, sendOne, type Auth } from './requests.js';
import type { Scenario } from './scenarios.js';
import type { Captured } from './capture-scripts.js';
import { memoryOf, resetPeak, type ChildServer } from './servers/child.js';
// A primary and its workers (pw) count together; a one-process server is its own tree.
import { processTreeCpuSeconds as cpuSecondsOf } from './workers.js';
import { serverKey, type Backend, type Target } from './servers/fleet.js';
import type { ServerStack } from './stack.js';

export interface RunResult {
  readonly section: Cell['section'];
  readonly backend: Backend;
  readonly scenario: string;
  readonly title: string;
  readonly auth: Auth;
  readonly connections: number;
  readonly target: Target;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
  /** Socket errors, timeouts and non-2xx answers during the measured window. */
  readonly errors: number;
  readonly bytesPerResponse: number;
  readonly rssBeforeMb: number | null;
  readonly peakRssMb: number | null;
  /** Every round's req/s of this target in this cell, in run order (the result is the median round). */
  readonly roundRps: readonly number[];
  /** Server CPU time per response (user + system), the cost measure least disturbed by a busy machine. */
  readonly cpuMsPerRequest: number | null;
  /** Every round's CPU per response, in run order (pairs with roundRps). */
  readonly roundCpuMs: ReadonlyArray<number | null>;
  /**
   * Memory cells only: the peak RSS growth of single requests, each sent alone to a settled server
   * (MB, in the order measured). What one response holds, without the garbage a sustained loop
   * leaves for the collector.
   */
  readonly singleGrowthMb: readonly number[] | null;
  /** Why there is no measurement (or the first failure seen), else null. */
  readonly error: string | null;
}

export type Log = (line: string) => void;

export interface Ctx {
  readonly mode: Mode;
  readonly stack: ServerStack;
  readonly fleet: Map<string, ChildServer>;
  readonly captured: Captured;
  readonly token: string;
}

function empty(cell: Cell, target: Target, error: string | null): RunResult {
  return {
    section: cell.section, backend: cell.backend, scenario: cell.scenario.name, title: cell.scenario.title, auth: cell.auth,
    connections: cell.connections, target, rps: 0, p50Ms: 0, p99Ms: 0, requests: 0, errors: 0, bytesPerResponse: 0,
    rssBeforeMb: null, peakRssMb: null, roundRps: [], cpuMsPerRequest: null, roundCpuMs: [], singleGrowthMb: null, error,
  };
}

/** The requests of a cell and the load options that send them to one server. */
function loadOf(ctx: Ctx, cell: Cell, server: ChildServer) {
  const requests = requestsFor(cell.scenario, cell.auth, ctx.token);
  return { requests, base: { host: server.host, port: server.port, connections: cell.connections, requests } };
}

async function measure(ctx: Ctx, cell: Cell, target: Target, warmupMs: number): Promise<RunResult> {
  const id = scriptId(cell.scenario, cell.auth);
  const captureError = ctx.captured.errors[id];
  if (captureError !== undefined) return empty(cell, target, captureError);
  const spec = ctx.captured.scripts[id];
  if (!spec) return empty(cell, target, 'not captured');
  if (target === 'b3') {
    const uri = cell.backend === 'pgbouncer' ? ctx.stack.bouncerUri : ctx.stack.directUri;
    const r = await runPgbench({ uri, spec, clients: Math.min(cell.connections, ctx.mode.poolSize), seconds: ctx.mode.durationMs / 1000 });
    return { ...empty(cell, target, r.error), rps: r.tps, p50Ms: r.p50Ms, p99Ms: r.p99Ms, requests: r.transactions, errors: r.failed };
  }
  const server = ctx.fleet.get(serverKey(target, cell.backend));
  if (!server) return empty(cell, target, 'server not started');
  const { requests, base } = loadOf(ctx, cell, server);
  // Warm up first, then reset the peak: growth is measured over the steady state of this very load.
  const warm = await runLoad({ ...base, warmupMs: 0, durationMs: warmupMs });
  let before: number;
  let cpu0: number;
  try {
    resetPeak(server.pid);
    before = memoryOf(server.pid).rssMb;
    cpu0 = cpuSecondsOf(server.pid);
  } catch {
    return empty(cell, target, `server process is gone:\n${server.output()}\n${warm.firstError ?? ''}`);
  }
  const load = await runLoad({ ...base, warmupMs: 0, durationMs: ctx.mode.durationMs });
  let peak: number | null = null;
  let cpuMs: number | null = null;
  try {
    peak = memoryOf(server.pid).peakMb;
    if (load.allResponses > 0) cpuMs = ((cpuSecondsOf(server.pid) - cpu0) * 1000) / load.allResponses;
  } catch {
    // died during the run: reported through the errors below
  }
  const errors = load.errors + load.non2xx;
  const singleGrowthMb = cell.section === 'memory' && load.requests > 0 ? await singleRequests(server, requests[0] as LoadRequest) : null;
  return {
    ...empty(cell, target, load.requests === 0 ? load.firstError ?? 'no responses' : errors > 0 ? load.firstError : null),
    rps: load.rps, p50Ms: load.p50Ms, p99Ms: load.p99Ms, requests: load.requests, errors,
    bytesPerResponse: load.bytesPerResponse, rssBeforeMb: before, peakRssMb: peak, cpuMsPerRequest: cpuMs, singleGrowthMb,
  };
}

const SINGLE_REQUESTS = 8;
/** Pause before each single request: the previous response is fully sent and the process idle. */
const SETTLE_MS = 250;

/**
 * Peak RSS growth of one request at a time (VmHWM reset just before it). A sustained loop measures
 * how far garbage runs ahead of V8's collector as much as what a response holds; a lone request on a
 * settled process measures the copies of the body alive at once.
 */
async function singleRequests(server: ChildServer, request: LoadRequest): Promise<number[] | null> {
  const growth: number[] = [];
  try {
    for (let i = 0; i < SINGLE_REQUESTS; i++) {
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      resetPeak(server.pid);
      const before = memoryOf(server.pid).rssMb;
      const r = await sendOne(server.url, request);
      if (r.status >= 400) return null;
      growth.push(Math.max(0, memoryOf(server.pid).peakMb - before));
    }
  } catch {
    return null;
  }
  return growth;
}

/** Empties the table a write scenario fills on the server (each embedded process has its own copy). */
async function clearWrites(ctx: Ctx, cell: Cell): Promise<void> {
  if (cell.scenario.write && cell.backend !== 'embedded') await ctx.stack.sql('TRUNCATE api.activity').catch(() => undefined);
}

/** Warm-up before a cell's later rounds: the server already ran this load; new connections settle. */
const LATER_ROUND_WARMUP_MS = 300;

/**
 * A cell's rounds: its targets back to back, the order reversed every other round, so each
 * round's runs share a minute of the machine. Each target's result is its median round (by req/s)
 * with every round's req/s, from which report/compare.ts takes the median of the per-round ratios:
 * the machines are shared, and a round slowed by a neighbour on either side does not decide a
 * ratio. pgbench (b3), no target's denominator, runs in the first round only.
 */
export async function runCell(ctx: Ctx, cell: Cell, log: Log): Promise<RunResult[]> {
  const runs = new Map<Target, RunResult[]>(cell.targets.map((t) => [t, []]));
  if (cell.rounds > 1) await settle(ctx, cell);
  for (let round = 0; round < cell.rounds; round++) {
    const order = round % 2 === 0 ? cell.targets : [...cell.targets].reverse();
    for (const target of order) {
      if (round > 0 && target === 'b3') continue;
      const r = await measure(ctx, cell, target, round === 0 ? ctx.mode.warmupMs : Math.min(LATER_ROUND_WARMUP_MS, ctx.mode.warmupMs));
      await clearWrites(ctx, cell);
      runs.get(target)?.push(r);
      log(`  ${target.padEnd(8)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50Ms.toFixed(1)} ms  p99 ${r.p99Ms.toFixed(1)} ms` +
        `${r.peakRssMb === null ? '' : `  peak ${r.peakRssMb.toFixed(0)} MB`}${r.cpuMsPerRequest === null ? '' : `  cpu ${r.cpuMsPerRequest.toFixed(2)} ms/req`}${r.error ? `  ERROR ${r.error.split('\n')[0]?.slice(0, 160)}` : ''}`);
    }
  }
  return cell.targets.map((t) => medianRun(runs.get(t) ?? []));
}

/**
 * Before a cell's measured rounds: a checkpoint (dirty pages the previous cells left are written now,
 * not during a run), then each server's load once, unmeasured. Measured here: the first run of a
 * cell came out 15–40 % slower than its later rounds even after its own warm-up, and round 0 always
 * starts with the same target.
 */
async function settle(ctx: Ctx, cell: Cell): Promise<void> {
  await ctx.stack.sql('CHECKPOINT').catch(() => undefined);
  for (const target of cell.targets) {
    const server = ctx.fleet.get(serverKey(target, cell.backend));
    if (server === undefined || ctx.captured.scripts[scriptId(cell.scenario, cell.auth)] === undefined) continue;
    await runLoad({ ...loadOf(ctx, cell, server).base, warmupMs: 0, durationMs: ctx.mode.warmupMs });
    await clearWrites(ctx, cell);
  }
}

/** The median run by req/s (the lower one of an even count), with every round's req/s. */
function medianRun(runs: readonly RunResult[]): RunResult {
  const sorted = [...runs].sort((a, b) => a.rps - b.rps);
  const mid = sorted[(sorted.length - 1) >> 1] as RunResult;
  return { ...mid, roundRps: runs.map((r) => r.rps), roundCpuMs: runs.map((r) => r.cpuMsPerRequest) };
}

/**
 * Load on every server first (the mode's prewarmMs), so the first cells do not pay for JIT warm-up:
 * measured here, a fresh PeSquel or baseline process needs several seconds of load before its CPU
 * per request settles (the first second costs about twice the steady state).
 */
export async function prewarm(ctx: Ctx, cases: ReadonlyArray<{ s: Scenario; auth: Auth }>): Promise<void> {
  const reads = cases.filter((c) => !c.s.write && ctx.captured.scripts[scriptId(c.s, c.auth)]);
  if (reads.length === 0) return;
  for (const server of ctx.fleet.values()) {
    await runLoad({
      host: server.host, port: server.port, connections: 10, warmupMs: 0, durationMs: ctx.mode.prewarmMs,
      requests: reads.flatMap((c) => requestsFor(c.s, c.auth, ctx.token)),
    });
  }
}

export async function pgliteLoop(fleet: Map<string, ChildServer>, id: string, ms: number): Promise<number | null> {
  const b4 = fleet.get('b4-embedded');
  if (!b4) return null;
  const r = await sendOne(b4.url, { method: 'GET', path: `/__loop?ms=${ms}&script=${encodeURIComponent(id)}`, headers: {} });
  if (r.status !== 200) return null;
  const { tx, seconds } = JSON.parse(r.body) as { tx: number; seconds: number };
  return tx / seconds;
}
