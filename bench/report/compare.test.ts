// The statistics that decide a target: a multi-round cell's ratio is the median of its per-round
// ratios; a single round's is the plain ratio; rounds that do not pair up are not paired. The same
// for the CPU per request of the default log level over --log-level error.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpuRoundRatios, medianOf, ratio, roundRatios } from './compare.js';
import type { RunResult, SuiteResult } from '../suite.js';
import type { Target } from '../servers/fleet.js';

const run = (target: Target, roundRps: number[], roundCpuMs: Array<number | null> = roundRps.map(() => null)): RunResult => ({
  section: 'scenarios', backend: 'direct', scenario: 'get-1', title: 'GET 1', auth: 'anon', connections: 50, target,
  rps: medianOf(roundRps), p50Ms: 1, p99Ms: 2, requests: 100, errors: 0, bytesPerResponse: 10, rssBeforeMb: null, peakRssMb: null,
  roundRps, cpuMsPerRequest: null, roundCpuMs, singleGrowthMb: null, error: null,
});
const suite = (...results: RunResult[]) => ({ results } as unknown as SuiteResult);
const key = { section: 'scenarios', backend: 'direct', scenario: 'get-1', auth: 'anon', connections: 50 } as const;

describe('ratios of a cell', () => {
  it('pairs rounds: the median of PeSquel ÷ baseline per round', () => {
    // Medians taken apart would give 100 ÷ 100 = 1; per round: 0.5, 0.9, 0.95, 1.2, 2 → 0.95.
    const p = run('pesquel', [50, 90, 95, 120, 200]);
    const b = run('b1', [100, 100, 100, 100, 100]);
    assert.deepEqual(roundRatios(p, b), [0.5, 0.9, 0.95, 1.2, 2]);
    assert.equal(ratio(suite(p, b), key, 'b1'), 0.95);
    const swapped = run('b1', [200, 100, 100, 100, 50]);
    assert.equal(ratio(suite(p, swapped), key, 'b1'), 0.95); // 0.25, 0.9, 0.95, 1.2, 4
  });

  it('falls back to the plain ratio for one round or rounds that do not pair', () => {
    assert.equal(ratio(suite(run('pesquel', [90]), run('b1', [100])), key, 'b1'), 0.9);
    assert.deepEqual(roundRatios(run('pesquel', [90, 80]), run('b1', [100])), []);
    assert.equal(ratio(suite(run('pesquel', [90, 80, 70]), run('b1', [100])), key, 'b1'), 0.8);
    assert.equal(ratio(suite(run('pesquel', [90]), run('b1', [0])), key, 'b1'), null);
  });
});

describe('CPU per request of two targets', () => {
  it('pairs rounds, and gives nothing when a round is missing', () => {
    const p = run('pesquel', [1, 1, 1], [0.11, 0.3, 0.1]);
    const q = run('pq', [1, 1, 1], [0.1, 0.1, 0.1]);
    assert.deepEqual(cpuRoundRatios(suite(p, q), key, 'pesquel', 'pq').map((x) => Math.round(x * 100) / 100), [1, 1.1, 3]);
    assert.deepEqual(cpuRoundRatios(suite(p, run('pq', [1, 1, 1], [0.1, null, 0.1])), key, 'pesquel', 'pq'), []);
  });
});
