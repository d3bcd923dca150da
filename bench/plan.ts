// What a benchmark run measures, per mode: `full` (< 20 min), `quick` (< 2 min, development) and
// `tiny` (the test suite's self-check). A cell is one (backend, scenario, auth, connections) point;
// its targets run back to back so their ratios come from the same minute of a noisy machine.
import type { Auth } from './requests.js';
import { rowsScenario, scenario, scenarios, type Scenario, type ScenarioName } from './scenarios.js';
import type { Backend, Target } from './servers/fleet.js';
import { replicaCell } from './replica.js';
import { workersCell } from './workers.js';

export type Section = 'scenarios' | 'logging' | 'concurrency' | 'rows' | 'memory' | 'replicas' | 'workers';

export interface Cell {
  readonly section: Section;
  readonly backend: Backend;
  readonly scenario: Scenario;
  readonly auth: Auth;
  readonly connections: number;
  readonly targets: readonly Target[];
  /** Repetitions with alternating target order; each target's median round counts (runCell). */
  readonly rounds: number;
}

export interface Mode {
  readonly name: 'full' | 'quick' | 'tiny';
  readonly todos: number;
  readonly poolSize: number;
  /** Load on every server before the first cell (JIT tiers, heap sizing, caches; a fresh process
   * takes seconds of load to reach its steady state). */
  readonly prewarmMs: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  readonly cells: readonly Cell[];
}

const POOL = 10;
const MAIN_CONNECTIONS = 50;
/** The scenarios the targets are about: measured in several rounds. */
const KEY: readonly ScenarioName[] = ['get-1', 'get-10', 'post-1'];
const ROWS = [1, 10, 100, 1000, 10_000];
/**
 * Rounds of the cells behind the ratio targets. Back to back on this shared machine one round of
 * the same cell moves ±10 % (embedded GET 10 rows ÷ b4 over ten rounds: 0.84×–1.11×, median 0.95×).
 */
const KEY_ROUNDS = 5;

function cell(section: Section, backend: Backend, s: Scenario, auth: Auth, connections: number, targets: Target[], rounds = 1): Cell {
  return { section, backend, scenario: s, auth, connections, targets, rounds };
}

function fullCells(): Cell[] {
  const cells: Cell[] = [loggingCell(KEY_ROUNDS)];
  for (const s of scenarios) {
    const key = KEY.includes(s.name);
    const rounds = key ? KEY_ROUNDS : 1;
    cells.push(cell('scenarios', 'direct', s, 'anon', MAIN_CONNECTIONS, ['pesquel', 'b1', 'b2', 'b3'], rounds));
    cells.push(cell('scenarios', 'direct', s, 'jwt', MAIN_CONNECTIONS, key ? ['pesquel', 'b1', 'b2'] : ['pesquel', 'b1']));
    cells.push(cell('scenarios', 'pgbouncer', s, 'anon', MAIN_CONNECTIONS, key ? ['pesquel', 'b1', 'b2', 'b3'] : ['pesquel', 'b1']));
    cells.push(cell('scenarios', 'embedded', s, 'anon', MAIN_CONNECTIONS, ['pesquel', 'b4'], rounds));
    if (key) cells.push(cell('scenarios', 'embedded', s, 'jwt', MAIN_CONNECTIONS, ['pesquel', 'b4']));
  }
  for (const name of ['get-1', 'get-10'] as const) {
    for (const c of [10, 100, 1000]) {
      cells.push(cell('concurrency', 'direct', scenario(name), 'anon', c, ['pesquel', 'b1', 'b2']));
      cells.push(cell('concurrency', 'pgbouncer', scenario(name), 'anon', c, ['pesquel', 'b1']));
      if (name === 'get-10') cells.push(cell('concurrency', 'embedded', scenario(name), 'anon', c, ['pesquel', 'b4']));
    }
  }
  for (const n of ROWS) {
    cells.push(cell('rows', 'direct', rowsScenario(n), 'anon', 10, ['pesquel', 'b1']));
    cells.push(cell('rows', 'embedded', rowsScenario(n), 'anon', 10, ['pesquel', 'b4']));
  }
  cells.push(cell('memory', 'direct', rowsScenario(10_000), 'anon', 1, ['pesquel', 'b1']));
  cells.push(cell('memory', 'embedded', rowsScenario(10_000), 'anon', 1, ['pesquel', 'b4']));
  cells.push(replicaCell(KEY_ROUNDS));
  cells.push(workersCell(KEY_ROUNDS));
  return cells;
}

/**
 * The default configuration's cost (issue 20): PeSquel as users run it (request lines logged at
 * level info) against the same build at --log-level error, back to back, order alternating.
 */
const loggingCell = (rounds: number) => cell('logging', 'direct', scenario('get-10'), 'anon', MAIN_CONNECTIONS, ['pesquel', 'pq'], rounds);

function quickCells(): Cell[] {
  return [
    loggingCell(3),
    ...KEY.map((n) => cell('scenarios', 'direct', scenario(n), 'anon', MAIN_CONNECTIONS, ['pesquel', 'b1', 'b2', 'b3'])),
    cell('scenarios', 'direct', scenario('get-1'), 'jwt', MAIN_CONNECTIONS, ['pesquel', 'b1']),
    cell('scenarios', 'direct', scenario('embed-o2m'), 'anon', MAIN_CONNECTIONS, ['pesquel', 'b1']),
    cell('scenarios', 'pgbouncer', scenario('get-10'), 'anon', MAIN_CONNECTIONS, ['pesquel', 'b1']),
    cell('scenarios', 'embedded', scenario('get-10'), 'anon', MAIN_CONNECTIONS, ['pesquel', 'b4']),
    cell('concurrency', 'direct', scenario('get-10'), 'anon', 1000, ['pesquel', 'b1']),
    cell('rows', 'direct', rowsScenario(1000), 'anon', 10, ['pesquel', 'b1']),
    cell('memory', 'direct', rowsScenario(10_000), 'anon', 1, ['pesquel', 'b1']),
    replicaCell(1),
    workersCell(1),
  ];
}

function tinyCells(): Cell[] {
  return [
    cell('scenarios', 'direct', scenario('get-1'), 'anon', 4, ['pesquel', 'b1', 'b2', 'b3']),
    cell('scenarios', 'direct', scenario('post-1'), 'jwt', 4, ['pesquel', 'b1']),
    cell('scenarios', 'pgbouncer', scenario('get-10'), 'anon', 4, ['pesquel']),
    cell('scenarios', 'embedded', scenario('get-10'), 'anon', 4, ['pesquel', 'b4']),
    cell('memory', 'direct', rowsScenario(100), 'anon', 1, ['pesquel']),
    replicaCell(1),
    workersCell(1),
  ];
}

export function mode(name: Mode['name']): Mode {
  switch (name) {
    case 'full': return { name, todos: 100_000, poolSize: POOL, prewarmMs: 5000, warmupMs: 1000, durationMs: 3000, cells: fullCells() };
    case 'quick': return { name, todos: 100_000, poolSize: POOL, prewarmMs: 1500, warmupMs: 500, durationMs: 1500, cells: quickCells() };
    case 'tiny': return { name, todos: 500, poolSize: 4, prewarmMs: 200, warmupMs: 100, durationMs: 400, cells: tinyCells() };
  }
}
