// Lookups and ratios over a suite's results, shared by the Markdown report, the chart and the
// target checks: "PeSquel ÷ baseline" for the same cell (backend, scenario, auth, connections).
import type { RunResult, SuiteResult } from '../suite.js';
import type { Backend, Target } from '../servers/fleet.js';
import type { Section } from '../plan.js';

export interface CellKey {
  readonly section: Section;
  readonly backend: Backend;
  readonly scenario: string;
  readonly auth: string;
  readonly connections: number;
}

export const sameCell = (a: CellKey, b: CellKey) =>
  a.section === b.section && a.backend === b.backend && a.scenario === b.scenario && a.auth === b.auth && a.connections === b.connections;

export function find(suite: SuiteResult, key: CellKey, target: Target): RunResult | undefined {
  return suite.results.find((r) => r.target === target && sameCell(r, key));
}

/**
 * PeSquel's throughput over a target's in the same cell; null when either has no measurement. For a
 * cell of several rounds, the median of the per-round ratios: the two runs of a round share a minute
 * of the machine, so their ratio is steadier than one of two medians taken apart.
 */
export function ratio(suite: SuiteResult, key: CellKey, baseline: Target): number | null {
  const p = find(suite, key, 'pesquel');
  const b = find(suite, key, baseline);
  if (!p || !b || p.rps <= 0 || b.rps <= 0 || p.error !== null && p.requests === 0) return null;
  const rounds = roundRatios(p, b);
  return rounds.length > 1 ? medianOf(rounds) : p.rps / b.rps;
}

/** PeSquel ÷ baseline per round, sorted (empty unless both ran the same rounds). */
export function roundRatios(p: RunResult, b: RunResult): number[] {
  if (p.roundRps.length !== b.roundRps.length) return [];
  const out: number[] = [];
  for (const [i, x] of p.roundRps.entries()) {
    const y = b.roundRps[i] as number;
    if (x > 0 && y > 0) out.push(x / y);
  }
  return out.length === p.roundRps.length ? out.sort((x, y) => x - y) : [];
}

export function medianOf(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** The baseline's server CPU per request over PeSquel's: the cost ratio, steadier than req/s on a busy machine. */
export function cpuRatio(suite: SuiteResult, key: CellKey, baseline: Target): number | null {
  const p = find(suite, key, 'pesquel')?.cpuMsPerRequest;
  const b = find(suite, key, baseline)?.cpuMsPerRequest;
  return p && b ? b / p : null;
}

/**
 * Server CPU per request of target `a` over target `b` in the same cell, per round (sorted), e.g. PeSquel
 * at its default log level over PeSquel at --log-level error: empty unless both ran the same rounds.
 */
export function cpuRoundRatios(suite: SuiteResult, key: CellKey, a: Target, b: Target): number[] {
  const x = find(suite, key, a);
  const y = find(suite, key, b);
  if (!x || !y || x.roundCpuMs.length !== y.roundCpuMs.length) return [];
  const out: number[] = [];
  for (const [i, cx] of x.roundCpuMs.entries()) {
    const cy = y.roundCpuMs[i];
    if (cx != null && cy != null && cx > 0 && cy > 0) out.push(cx / cy);
  }
  return out.length === x.roundCpuMs.length ? out.sort((p, q) => p - q) : [];
}

/** The distinct cells of a section, in run order. */
export function cells(suite: SuiteResult, section: Section): CellKey[] {
  const out: CellKey[] = [];
  for (const r of suite.results) if (r.section === section && !out.some((c) => sameCell(c, r))) out.push(r);
  return out;
}

export const fmt = {
  rps: (r: RunResult | undefined) => (!r ? '–' : r.requests === 0 ? 'error' : r.rps.toFixed(0)),
  ratio: (x: number | null) => (x === null ? '–' : `${x.toFixed(2)}×`),
  ms: (x: number) => x.toFixed(x < 10 ? 2 : 1),
  mb: (x: number | null) => (x === null ? '–' : x.toFixed(0)),
};
