// Runs a benchmark mode end to end: databases and fixture, SQL capture, every server in its own
// process, then each cell's targets back to back; returns every measurement (report/ renders them).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureScripts, type Captured } from './capture-scripts.js';
import { runLoad } from './load/http-load.js';
import type { Cell, Mode } from './plan.js';
import { runPgbench } from './pgbench.js';
import { benchToken, requestsFor, scriptId, sendOne, type Auth } from './requests.js';
import type { Scenario } from './scenarios.js';
import { cpuSecondsOf, memoryOf, resetPeak, type ChildServer } from './servers/child.js';
import { JWT_SECRET, startBaselinePg, startBaselinePglite, startPesquel, type Backend, type PesquelRun, type Target } from './servers/fleet.js';
import { summariseProfile, type ProfileSummary } from './report/profile.js';
import { preparePglite, startServerStack, type ServerStack } from './stack.js';

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
  /** Server CPU time per response (user + system), the cost measure least disturbed by a busy machine. */
  readonly cpuMsPerRequest: number | null;
  /** Why there is no measurement (or the first failure seen), else null. */
  readonly error: string | null;
}

export interface SuiteResult {
  readonly mode: Mode['name'];
  readonly startedAt: string;
  readonly seconds: number;
  readonly machine: { readonly cpus: number; readonly loadBefore: number[]; readonly node: string; readonly postgres: number };
  readonly settings: { readonly todos: number; readonly poolSize: number; readonly warmupMs: number; readonly durationMs: number };
  readonly idleRssMb: Readonly<Record<string, number>>;
  /** Baseline 4 without HTTP: PGlite running the GET 10 rows transaction back to back. */
  readonly pgliteLoopTps: number | null;
  readonly captureErrors: Readonly<Record<string, string>>;
  /** Database round trips PeSquel made per request, by scenario|auth (seen by the capture proxy). */
  readonly roundTrips: Readonly<Record<string, number>>;
  readonly results: readonly RunResult[];
  /** With --profile: where each PeSquel process spent its CPU over the whole run. */
  readonly profiles: readonly ProfileSummary[];
}

type Log = (line: string) => void;

const serverKey = (t: Target, b: Backend) => `${t}-${b}`;

async function startFleet(mode: Mode, stack: ServerStack, pgliteDirs: string[], scripts: string, opts: SuiteOptions): Promise<Map<string, ChildServer>> {
  const run = (): PesquelRun => ({
    ...(opts.pesquelRoot === undefined ? {} : { root: opts.pesquelRoot }),
    ...(opts.profileDir === undefined ? {} : { profileDir: opts.profileDir }),
  });
  const needed = new Set(mode.cells.flatMap((c) => c.targets.filter((t) => t !== 'b3').map((t) => serverKey(t, c.backend))));
  const pool = mode.poolSize;
  const starters: Record<string, () => Promise<ChildServer>> = {
    'pesquel-direct': () => startPesquel('pesquel-direct', { dbUri: stack.directUri }, pool, run()),
    'pesquel-pgbouncer': () => startPesquel('pesquel-pgbouncer', { dbUri: stack.bouncerUri, listenUri: stack.directUri }, pool, run()),
    'pesquel-embedded': () => startPesquel('pesquel-embedded', { dataDir: pgliteDirs[0] as string }, pool, run()),
    'b1-direct': () => startBaselinePg('b1-direct', stack.directUri, pool, 'single', scripts),
    'b2-direct': () => startBaselinePg('b2-direct', stack.directUri, pool, 'multi', scripts),
    'b1-pgbouncer': () => startBaselinePg('b1-pgbouncer', stack.bouncerUri, pool, 'single', scripts),
    'b2-pgbouncer': () => startBaselinePg('b2-pgbouncer', stack.bouncerUri, pool, 'multi', scripts),
    'b4-embedded': () => startBaselinePglite('b4-embedded', pgliteDirs[1] as string, scripts),
  };
  const fleet = new Map<string, ChildServer>();
  // Three at a time: starts mix CPU (compiling TypeScript, on two cores) with waiting on databases.
  const queue = [...needed];
  const worker = async () => {
    for (let k = queue.shift(); k !== undefined; k = queue.shift()) {
      const start = starters[k];
      if (start) fleet.set(k, await start());
    }
  };
  try {
    await Promise.all([worker(), worker(), worker()]);
  } catch (err) {
    await Promise.all([...fleet.values()].map((s) => s.stop()));
    throw err;
  }
  return fleet;
}

interface Ctx {
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
    rssBeforeMb: null, peakRssMb: null, cpuMsPerRequest: null, error,
  };
}

async function measure(ctx: Ctx, cell: Cell, target: Target): Promise<RunResult> {
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
  const requests = requestsFor(cell.scenario, cell.auth, ctx.token);
  const base = { host: server.host, port: server.port, connections: cell.connections, requests };
  // Warm up first, then reset the peak: growth is measured over the steady state of this very load.
  const warm = await runLoad({ ...base, warmupMs: 0, durationMs: ctx.mode.warmupMs });
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
  return {
    ...empty(cell, target, load.requests === 0 ? load.firstError ?? 'no responses' : errors > 0 ? load.firstError : null),
    rps: load.rps, p50Ms: load.p50Ms, p99Ms: load.p99Ms, requests: load.requests, errors,
    bytesPerResponse: load.bytesPerResponse, rssBeforeMb: before, peakRssMb: peak, cpuMsPerRequest: cpuMs,
  };
}

async function runCell(ctx: Ctx, cell: Cell, log: Log): Promise<RunResult[]> {
  const best = new Map<Target, RunResult>();
  for (let round = 0; round < cell.rounds; round++) {
    const order = round % 2 === 0 ? cell.targets : [...cell.targets].reverse();
    for (const target of order) {
      const r = await measure(ctx, cell, target);
      if (cell.scenario.write && cell.backend !== 'embedded') await ctx.stack.sql('TRUNCATE api.activity').catch(() => undefined);
      const prev = best.get(target);
      if (!prev || r.rps > prev.rps) best.set(target, r);
      log(`  ${target.padEnd(8)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50Ms.toFixed(1)} ms  p99 ${r.p99Ms.toFixed(1)} ms` +
        `${r.peakRssMb === null ? '' : `  peak ${r.peakRssMb.toFixed(0)} MB`}${r.cpuMsPerRequest === null ? '' : `  cpu ${r.cpuMsPerRequest.toFixed(2)} ms/req`}${r.error ? `  ERROR ${r.error.split('\n')[0]?.slice(0, 160)}` : ''}`);
    }
  }
  return cell.targets.map((t) => best.get(t) as RunResult);
}

/** One second of load on every server first, so the first cell does not pay for JIT warm-up. */
async function prewarm(ctx: Ctx, cases: ReadonlyArray<{ s: Scenario; auth: Auth }>): Promise<void> {
  const reads = cases.filter((c) => !c.s.write && ctx.captured.scripts[scriptId(c.s, c.auth)]);
  if (reads.length === 0) return;
  for (const server of ctx.fleet.values()) {
    await runLoad({
      host: server.host, port: server.port, connections: 10, warmupMs: 0, durationMs: Math.min(1000, ctx.mode.durationMs),
      requests: reads.flatMap((c) => requestsFor(c.s, c.auth, ctx.token)),
    });
  }
}

async function pgliteLoop(fleet: Map<string, ChildServer>, id: string, ms: number): Promise<number | null> {
  const b4 = fleet.get('b4-embedded');
  if (!b4) return null;
  const r = await sendOne(b4.url, { method: 'GET', path: `/__loop?ms=${ms}&script=${encodeURIComponent(id)}`, headers: {} });
  if (r.status !== 200) return null;
  const { tx, seconds } = JSON.parse(r.body) as { tx: number; seconds: number };
  return tx / seconds;
}

export interface SuiteOptions {
  readonly log?: Log;
  /** The PeSquel checkout to benchmark (default: this work tree). */
  readonly pesquelRoot?: string;
  /** CPU-profile every PeSquel process into this directory (summarised in the report). */
  readonly profileDir?: string;
}

export async function runSuite(mode: Mode, opts: SuiteOptions = {}): Promise<SuiteResult> {
  const t00 = Date.now();
  const log = opts.log ?? ((l: string) => process.stderr.write(`[${((Date.now() - t00) / 1000).toFixed(1)}s] ${l}\n`));
  const root = opts.pesquelRoot;
  const t0 = Date.now();
  const startedAt = new Date().toISOString();
  const loadBefore = loadavg();
  const work = mkdtempSync(join(tmpdir(), 'pesquel-bench-'));
  const token = await benchToken(JWT_SECRET);
  log(`bench ${mode.name}: PostgreSQL + pgBouncer + fixture (${mode.todos} todos)`);
  const stack = await startServerStack(mode.todos, mode.poolSize);
  let pglite: Awaited<ReturnType<typeof preparePglite>> | null = null;
  let fleet = new Map<string, ChildServer>();
  try {
    if (mode.cells.some((c) => c.backend === 'embedded')) {
      log('preparing the embedded (PGlite) data directories');
      pglite = await preparePglite(mode.todos, 2);
    }
    const seen = new Map<string, { s: Scenario; auth: Auth }>();
    for (const c of mode.cells) seen.set(scriptId(c.scenario, c.auth), { s: c.scenario, auth: c.auth });
    log(`capturing PeSquel's SQL for ${seen.size} requests`);
    const scriptsFile = join(work, 'scripts.json');
    const captured = await captureScripts(stack, [...seen.values()], token, mode.poolSize, scriptsFile, root);
    for (const [id, e] of Object.entries(captured.errors)) log(`  ${id}: ${e.slice(0, 200)}`);
    await stack.sql('TRUNCATE api.activity');
    log('starting the servers under test');
    fleet = await startFleet(mode, stack, pglite?.dirs ?? [], scriptsFile, opts);
    const idleRssMb = Object.fromEntries([...fleet].map(([k, s]) => [k, Math.round(memoryOf(s.pid).rssMb)]));
    const ctx: Ctx = { mode, stack, fleet, captured, token };
    log('warming up every server');
    await prewarm(ctx, [...seen.values()]);
    const results: RunResult[] = [];
    for (const [i, cell] of mode.cells.entries()) {
      log(`[${i + 1}/${mode.cells.length}] ${cell.section}: ${cell.backend} ${cell.scenario.name} ${cell.auth} c=${cell.connections}`);
      results.push(...await runCell(ctx, cell, log));
    }
    log('PGlite in-process loop, then stopping the servers');
    const loopId = [...seen.keys()].find((k) => k.startsWith('get-10|')) ?? '';
    const pgliteLoopTps = captured.scripts[loopId] ? await pgliteLoop(fleet, loopId, Math.min(2000, mode.durationMs)) : null;
    await Promise.all([...fleet.values()].map((s) => s.stop())); // profiles are written at exit
    const profiles = opts.profileDir === undefined ? [] : readdirSync(opts.profileDir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => summariseProfile(join(opts.profileDir as string, f), f.replace(/\.cpuprofile$/, '')));
    return {
      mode: mode.name, startedAt, seconds: (Date.now() - t0) / 1000,
      machine: { cpus: cpus().length, loadBefore, node: process.version, postgres: stack.pg.majorVersion },
      settings: { todos: mode.todos, poolSize: mode.poolSize, warmupMs: mode.warmupMs, durationMs: mode.durationMs },
      idleRssMb, pgliteLoopTps, captureErrors: captured.errors, roundTrips: captured.roundTrips, results, profiles,
    };
  } finally {
    await Promise.all([...fleet.values()].map((s) => s.stop()));
    await stack.close();
    pglite?.remove();
    rmSync(work, { recursive: true, force: true });
    log('stopped');
  }
}
