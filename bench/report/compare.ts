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

/** PeSquel's throughput over a target's in the same cell; null when either has no measurement. */
export function ratio(suite: SuiteResult, key: CellKey, baseline: Target): number | null {
  const p = find(suite, key, 'pesquel');
  const b = find(suite, key, baseline);
  if (!p || !b || p.rps <= 0 || b.rps <= 0 || p.error !== null && p.requests === 0) return null;
  return p.rps / b.rps;
}

/** The baseline's server CPU per request over PeSquel's: the cost ratio, steadier than req/s on a busy machine. */
export function cpuRatio(suite: SuiteResult, key: CellKey, baseline: Target): number | null {
  const p = find(suite, key, 'pesquel')?.cpuMsPerRequest;
  const b = find(suite, key, baseline)?.cpuMsPerRequest;
  return p && b ? b / p : null;
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
