// The issue's targets, checked on one run's ratios: each check names the measurement it used.
import type { SuiteResult } from '../suite.js';
import { cells, cpuRatio, cpuRoundRatios, find, medianOf, ratio, roundRatios, type CellKey } from './compare.js';

export interface Check {
  readonly target: string;
  readonly measured: string;
  /** For ratio targets: the same ratio from server CPU per request (baseline ÷ PeSquel). */
  readonly cpuRatio?: string;
  /** null: not measured in this run (mode without that cell, or PeSquel rejected the scenario). */
  readonly met: boolean | null;
}

const MAIN: Omit<CellKey, 'scenario' | 'backend'> = { section: 'scenarios', auth: 'anon', connections: 50 };

function ratioCheck(suite: SuiteResult, label: string, key: CellKey, baseline: 'b1' | 'b2' | 'b4', min: number): Check {
  const r = ratio(suite, key, baseline);
  const c = cpuRatio(suite, key, baseline);
  const p = find(suite, key, 'pesquel');
  const why = p?.error && p.requests === 0 ? ` (${p.error.split('\n')[0]?.slice(0, 100)})` : '';
  const b = find(suite, key, baseline);
  const perRound = p && b ? roundRatios(p, b) : [];
  const spread = perRound.length > 1 ? ` (rounds ${(perRound[0] as number).toFixed(2)}–${(perRound[perRound.length - 1] as number).toFixed(2)}×)` : '';
  return {
    target: `${label} ≥ ${min}× ${baseline}`, measured: r === null ? `not measured${why}` : `${r.toFixed(2)}×${spread}`,
    cpuRatio: c === null ? '–' : `${c.toFixed(2)}×`, met: r === null ? null : r >= min,
  };
}

export function checkTargets(suite: SuiteResult): Check[] {
  const c = suite.results.find((r) => r.section === 'scenarios')?.connections ?? MAIN.connections;
  const at = (backend: CellKey['backend'], scenario: string): CellKey => ({ ...MAIN, connections: c, backend, scenario });
  const checks: Check[] = [];
  for (const s of ['get-1', 'get-10']) {
    checks.push(ratioCheck(suite, `${s} (direct)`, at('direct', s), 'b1', 0.9));
    checks.push(ratioCheck(suite, `${s} (direct)`, at('direct', s), 'b2', 1.3));
  }
  checks.push(ratioCheck(suite, 'post-1 (direct)', at('direct', 'post-1'), 'b1', 0.85));
  for (const s of ['get-1', 'get-10', 'post-1']) checks.push(ratioCheck(suite, `${s} (embedded)`, at('embedded', s), 'b4', 0.9));

  // The default configuration's cost: request lines at level info vs --log-level error.
  for (const k of cells(suite, 'logging')) {
    const perRound = cpuRoundRatios(suite, k, 'pesquel', 'pq');
    const mid = perRound.length > 0 ? medianOf(perRound) : null;
    const spread = perRound.length > 1 ? ` (rounds ${(perRound[0] as number).toFixed(2)}–${(perRound[perRound.length - 1] as number).toFixed(2)}×)` : '';
    const p = find(suite, k, 'pesquel');
    const q = find(suite, k, 'pq');
    checks.push({
      target: `${k.scenario} (${k.backend}): server CPU per request at the default log level ≤ 1.10× --log-level error`,
      measured: mid === null ? `not measured${p?.error ? ` (${p.error.split('\n')[0]?.slice(0, 100)})` : ''}` : `${mid.toFixed(2)}×${spread}; req/s ${p?.rps.toFixed(0) ?? '–'} vs ${q?.rps.toFixed(0) ?? '–'}`,
      met: mid === null ? null : mid <= 1.1,
    });
  }

  const wide = suite.results.filter((r) => r.target === 'pesquel' && r.connections >= 1000 && r.backend !== 'embedded');
  for (const r of wide) {
    const ok = r.requests > 0 && r.errors === 0 && r.peakRssMb !== null && r.peakRssMb < 300;
    checks.push({
      target: `1000 connections, ${r.backend} ${r.scenario}: no errors, RSS < 300 MB`,
      measured: `${r.errors} errors, peak ${r.peakRssMb?.toFixed(0) ?? '?'} MB${r.error ? ` (${r.error.slice(0, 80)})` : ''}`,
      met: ok,
    });
  }
  for (const r of suite.results.filter((x) => x.section === 'memory' && x.target === 'pesquel')) {
    const label = `${r.scenario} (${r.backend}): peak RSS growth of a request < 3× body`;
    const single = r.singleGrowthMb;
    if (r.requests === 0 || single === null || single.length === 0) {
      checks.push({ target: label, measured: `not measured (${r.error ?? 'no single-request figures'})`, met: null });
      continue;
    }
    const body = r.bytesPerResponse / 2 ** 20;
    const mid = medianOf(single);
    const loop = r.peakRssMb !== null && r.rssBeforeMb !== null ? Math.max(0, r.peakRssMb - r.rssBeforeMb) : null;
    checks.push({
      target: label,
      measured: `median ${mid.toFixed(1)} MB (${(mid / body).toFixed(1)}×), max ${Math.max(...single).toFixed(1)} MB of ${single.length} lone requests for a ${body.toFixed(2)} MB body`
        + (loop === null ? '' : `; a 1-connection loop: ${loop.toFixed(1)} MB (${(loop / body).toFixed(1)}×, mostly garbage awaiting collection)`),
      met: mid < 3 * body,
    });
  }
  return checks;
}
