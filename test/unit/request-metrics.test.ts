// Request metrics are gathered in batches before prom-client sees them: whatever the batch
// boundaries, a scrape shows every request exactly once, with its status and latency bucket.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { createMetrics } from '../../src/observability/metrics.js';
import { metricValue, parseMetrics } from '../ops/metrics-text.js';

const newMetrics = () => createMetrics({ pool: () => ({ max: 1, total: 1, idle: 1, waiting: 0 }) });
const scrape = async (m: ReturnType<typeof newMetrics>) => parseMetrics(await m.registry.metrics());

describe('request metrics', () => {
  it('a scrape counts requests not yet handed over in a batch', async () => {
    const m = newMetrics();
    m.recordRequest('relation', 'GET', 200, 0.002, 'success');
    m.recordRequest('relation', 'GET', 404, 0.0004, 'failure');
    m.recordRequest('rpc', 'POST', 200, 3, null);
    const s = await scrape(m);
    assert.equal(metricValue(s, 'pesquel_http_requests_total', { route_kind: 'relation', method: 'GET', status: '200' }), 1);
    assert.equal(metricValue(s, 'pesquel_http_requests_total', { route_kind: 'relation', method: 'GET', status: '404' }), 1);
    assert.equal(metricValue(s, 'pesquel_http_requests_total', { route_kind: 'rpc', method: 'POST', status: '200' }), 1);
    assert.equal(metricValue(s, 'pesquel_auth_total', { outcome: 'success', method: 'jwt' }), 1);
    assert.equal(metricValue(s, 'pesquel_auth_total', { outcome: 'failure', method: 'jwt' }), 1);
    const get = { route_kind: 'relation', method: 'GET' };
    assert.equal(metricValue(s, 'pesquel_http_request_duration_seconds_count', get), 2);
    assert.ok(Math.abs((metricValue(s, 'pesquel_http_request_duration_seconds_sum', get) ?? 0) - 0.0024) < 1e-12);
    assert.equal(metricValue(s, 'pesquel_http_request_duration_seconds_bucket', { ...get, le: '0.001' }), 1);
    assert.equal(metricValue(s, 'pesquel_http_request_duration_seconds_bucket', { ...get, le: '0.0025' }), 2);
    assert.equal(metricValue(s, 'pesquel_http_request_duration_seconds_bucket', { route_kind: 'rpc', method: 'POST', le: '2.5' }), 0);
    assert.equal(metricValue(s, 'pesquel_http_request_duration_seconds_bucket', { route_kind: 'rpc', method: 'POST', le: '5' }), 1);
  });

  it('counts every request once across batch flushes and repeated scrapes', async () => {
    const m = newMetrics();
    const labels = { route_kind: 'relation', method: 'GET' };
    let total = 0;
    let tokens = 0;
    for (const n of [1, 255, 256, 257, 1000]) {
      tokens += Math.ceil(n / 2);
      for (let i = 0; i < n; i++) m.recordRequest('relation', 'GET', i % 10 === 0 ? 500 : 200, 0.01, i % 2 === 0 ? 'success' : null);
      total += n;
      const s = await scrape(m);
      const ok = metricValue(s, 'pesquel_http_requests_total', { ...labels, status: '200' }) ?? 0;
      const failed = metricValue(s, 'pesquel_http_requests_total', { ...labels, status: '500' }) ?? 0;
      assert.equal(ok + failed, total);
      assert.equal(metricValue(s, 'pesquel_http_request_duration_seconds_count', labels), total);
      assert.equal(metricValue(s, 'pesquel_http_request_duration_seconds_bucket', { ...labels, le: '0.01' }), total);
      assert.equal(metricValue(s, 'pesquel_http_request_duration_seconds_bucket', { ...labels, le: '0.005' }), 0);
      assert.equal(metricValue(s, 'pesquel_auth_total', { outcome: 'success', method: 'jwt' }), tokens);
    }
    // A second scrape with nothing new changes nothing.
    assert.equal(metricValue(await scrape(m), 'pesquel_http_request_duration_seconds_count', labels), total);
  });
});
