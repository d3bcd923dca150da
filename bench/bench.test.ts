// Self-check of the benchmark runner (not a timed test): a tiny run over every kind of target
// (PeSquel direct, through pgBouncer and embedded; baselines 1–4) must produce a measurement for
// each of its scenarios.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pgBinariesAvailable, pgBouncerAvailable } from '../test/helpers/postgres-server.js';
import { pgbenchBinary } from './pgbench.js';
import { mode } from './plan.js';
import { renderChart } from './report/chart.js';
import { renderMarkdown } from './report/markdown.js';
import { runSuite } from './suite.js';

const available = pgBinariesAvailable() && pgBouncerAvailable();

describe('bench runner', { skip: available ? false : 'needs PostgreSQL binaries and pgbouncer' }, () => {
  it('produces a result for every scenario and target of a tiny run', { timeout: 180_000 }, async () => {
    const m = mode('tiny');
    const suite = await runSuite(m, { log: () => undefined });
    const expected = m.cells.reduce((n, c) => n + c.targets.length, 0);
    assert.equal(suite.results.length, expected);
    for (const r of suite.results) {
      // A scenario the current build rejects is a reported error, not a missing result.
      assert.ok(r.requests > 0 || (r.error !== null && r.error !== ''), `${r.backend} ${r.scenario} ${r.auth} ${r.target}: no result`);
    }
    // pgbench ships with the PostgreSQL server packages; where it is missing, b3 reports that instead.
    const anonGet = suite.results.filter((r) => r.auth === 'anon' && r.scenario.startsWith('get') && (r.target !== 'b3' || pgbenchBinary() !== null));
    for (const r of anonGet) assert.ok(r.requests > 0, `${r.backend} ${r.scenario} ${r.target}: ${r.error ?? 'no requests'}`);
    assert.match(renderMarkdown(suite), /## Targets/);
    assert.match(renderChart(suite), /^<svg /);
  });
});
