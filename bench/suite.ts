// Runs a benchmark mode end to end: databases and fixture, SQL capture, every server in its own
// process, then each cell's targets back to back; returns every measurement (report/ renders them).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureScripts } from './capture-scripts.js';
import { pgliteLoop, prewarm, runCell, type Ctx, type Log, type RunResult } from './measure.js';
import type { Mode } from './plan.js';
import { benchToken, scriptId, type Auth } from './requests.js';
import type { Scenario } from './scenarios.js';
import { memoryOf, repoRoot, type ChildServer } from './servers/child.js';
import { ensureBuilt } from './build.js';
import { JWT_SECRET, startFleet } from './servers/fleet.js';
import { summariseProfile, type ProfileSummary } from './report/profile.js';
import { preparePglite, startServerStack } from './stack.js';

export type { RunResult } from './measure.js';

export interface SuiteResult {
  readonly mode: Mode['name'];
  readonly startedAt: string;
  readonly seconds: number;
  readonly machine: { readonly cpus: number; readonly loadBefore: number[]; readonly node: string; readonly postgres: number };
  readonly settings: { readonly todos: number; readonly poolSize: number; readonly prewarmMs: number; readonly warmupMs: number; readonly durationMs: number };
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


export interface SuiteOptions {
  readonly log?: Log;
  /** The PeSquel checkout to benchmark (default: this work tree). */
  readonly pesquelRoot?: string;
  /** CPU-profile every PeSquel process into this directory (summarised in the report). */
  readonly profileDir?: string;
}

export async function runSuite(mode: Mode, opts: SuiteOptions = {}): Promise<SuiteResult> {
  const t0 = Date.now();
  const log = opts.log ?? ((l: string) => process.stderr.write(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${l}\n`));
  const root = opts.pesquelRoot;
  const startedAt = new Date().toISOString();
  const fromSource = mode.name === 'tiny';
  if (!fromSource) ensureBuilt(root ?? repoRoot, log);
  const run = { ...(root === undefined ? {} : { root }), ...(fromSource ? { fromSource } : {}) };
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
    const captured = await captureScripts(stack, [...seen.values()], token, mode.poolSize, scriptsFile, run);
    for (const [id, e] of Object.entries(captured.errors)) log(`  ${id}: ${e.slice(0, 200)}`);
    await stack.sql('TRUNCATE api.activity');
    log('starting the servers under test');
    fleet = await startFleet(mode, stack, pglite?.dirs ?? [], scriptsFile, {
      ...run,
      ...(opts.profileDir === undefined ? {} : { profileDir: opts.profileDir }),
    });
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
      .map((f) => {
        const server = f.replace(/\.cpuprofile$/, '');
        return summariseProfile(join(opts.profileDir as string, f), server, fleet.get(server)?.readyAtUs ?? 0);
      });
    return {
      mode: mode.name, startedAt, seconds: (Date.now() - t0) / 1000,
      machine: { cpus: cpus().length, loadBefore, node: process.version, postgres: stack.pg.majorVersion },
      settings: { todos: mode.todos, poolSize: mode.poolSize, prewarmMs: mode.prewarmMs, warmupMs: mode.warmupMs, durationMs: mode.durationMs },
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
