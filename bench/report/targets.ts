// The issue's targets, checked on one run's ratios: each check names the measurement it used.
import type { SuiteResult } from '../suite.js';
import { cpuRatio, find, ratio, type CellKey } from './compare.js';

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
  return {
    target: `${label} ≥ ${min}× ${baseline}`, measured: r === null ? `not measured${why}` : `${r.toFixed(2)}×`,
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
    if (r.requests === 0 || r.peakRssMb === null || r.rssBeforeMb === null) {
      checks.push({ target: `${r.scenario} (${r.backend}) peak RSS growth < 3× body`, measured: `not measured (${r.error ?? ''})`, met: null });
      continue;
    }
    const growth = Math.max(0, r.peakRssMb - r.rssBeforeMb);
    const body = r.bytesPerResponse / 2 ** 20;
    checks.push({
      target: `${r.scenario} (${r.backend}, 1 connection) peak RSS growth < 3× body`,
      measured: `${growth.toFixed(1)} MB growth for a ${body.toFixed(2)} MB body (${(growth / body).toFixed(1)}×)`,
      met: growth < 3 * body,
    });
  }
  return checks;
}
