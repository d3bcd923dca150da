// Health, metrics and logs on every backend: /live and /ready, /metrics names, types, labels and
// values that move with requests and auth decisions, Server-Timing, and JSON request log lines
// that never contain a token, password or secret.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { errors } from '../../src/errors/codes.js';
import { createLogger } from '../../src/observability/logger.js';
import { formatLine } from '../../src/observability/pretty.js';
import { backendKinds, startTestApi, type TestApi } from '../helpers/backends.js';
import { freePort } from './free-port.js';
import { metricValue, parseMetrics } from './metrics-text.js';

const secretToken = 'eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXRva2VuLXBheWxvYWQ.c2lnbmF0dXJlLXNlY3JldA';
const goodToken = 'good-token-aaaaaaaaaaaaaaaaaaaaaaaaaaaa';

for (const kind of backendKinds()) {
  describe(`health, metrics and logs (${kind})`, () => {
    let api: TestApi;
    const lines: string[] = [];
    before(async () => {
      const out = new PassThrough();
      let buf = '';
      out.on('data', (d: Buffer) => {
        buf += d.toString();
        let nl;
        while ((nl = buf.indexOf('\n')) >= 0) { lines.push(buf.slice(0, nl)); buf = buf.slice(nl + 1); }
      });
      api = await startTestApi(kind, {
        options: { 'server-timing-enabled': 'true', 'admin-server-port': String(await freePort()), 'backup-dir': '/nonexistent/pesquel-backups' },
        start: {
          logger: createLogger('info', out),
          // A stand-in for the JWT module: one valid token, everything else refused with PGRST301.
          authenticate: async (headers) => {
            const h = headers.authorization;
            if (h === undefined) return { role: 'api_anon', claims: { role: 'api_anon' }, authenticated: false };
            if (h === `Bearer ${goodToken}`) return { role: 'api_user', claims: { role: 'api_user' }, authenticated: true };
            throw errors.jwtDecode('JWSInvalidSignature');
          },
        },
      });
    });
    after(async () => { await api?.close(); });

    const admin = (path: string) => fetch(`${api.running.adminUrl}${path}`);
    const scrape = async () => parseMetrics(await (await admin('/metrics')).text());

    it('/live answers 200 and /ready 200 once the schema cache is loaded', async () => {
      assert.equal((await admin('/live')).status, 200);
      assert.equal((await admin('/ready')).status, 200);
      assert.equal((await admin('/nope')).status, 404);
    });

    it('/metrics is Prometheus text with PostgREST names and their types', async () => {
      const r = await admin('/metrics');
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      const m = parseMetrics(await r.text());
      const types: Record<string, string> = {
        pgrst_db_pool_max: 'gauge', pgrst_db_pool_available: 'gauge', pgrst_db_pool_waiting: 'gauge',
        pgrst_db_pool_timeouts_total: 'counter', pgrst_schema_cache_loads_total: 'counter',
        pgrst_schema_cache_query_time_seconds: 'gauge', pesquel_http_requests_total: 'counter',
        pesquel_http_request_duration_seconds: 'histogram', pesquel_auth_total: 'counter',
        pesquel_db_pool_size: 'gauge', pesquel_backup_age_seconds: 'gauge', pesquel_process_resident_memory_bytes: 'gauge',
      };
      for (const [name, type] of Object.entries(types)) assert.equal(m.types.get(name), type, name);
      assert.equal(metricValue(m, 'pgrst_db_pool_max'), kind === 'pglite' ? 1 : 10);
      assert.ok((metricValue(m, 'pgrst_schema_cache_loads_total', { status: 'SUCCESS' }) ?? 0) >= 1);
      assert.ok((metricValue(m, 'pgrst_schema_cache_query_time_seconds') ?? 0) > 0);
      // No backup in backup-dir yet.
      assert.ok(Number.isNaN(metricValue(m, 'pesquel_backup_age_seconds')));
    });

    it('request counters and latency histograms move, labelled by route kind, method and status', async () => {
      const labels = { route_kind: 'relation', method: 'GET', status: '200' };
      const before = await scrape();
      const n0 = metricValue(before, 'pesquel_http_requests_total', labels) ?? 0;
      const h0 = metricValue(before, 'pesquel_http_request_duration_seconds_count', { route_kind: 'relation', method: 'GET' }) ?? 0;
      for (let i = 0; i < 3; i++) assert.equal((await api.fetch('/todos')).status, 200);
      assert.equal((await api.fetch('/nope')).status, 404);
      const m = await scrape();
      assert.equal(metricValue(m, 'pesquel_http_requests_total', labels), n0 + 3);
      assert.ok((metricValue(m, 'pesquel_http_requests_total', { route_kind: 'relation', method: 'GET', status: '404' }) ?? 0) >= 1);
      assert.equal(metricValue(m, 'pesquel_http_request_duration_seconds_count', { route_kind: 'relation', method: 'GET' }), h0 + 4);
      assert.ok((metricValue(m, 'pesquel_http_request_duration_seconds_bucket', { route_kind: 'relation', method: 'GET', le: '+Inf' }) ?? 0) >= h0 + 4);
    });

    it('auth successes and failures are counted (requests and the observe hook)', async () => {
      const before = await scrape();
      const ok0 = metricValue(before, 'pesquel_auth_total', { outcome: 'success', method: 'jwt' }) ?? 0;
      const bad0 = metricValue(before, 'pesquel_auth_total', { outcome: 'failure', method: 'jwt' }) ?? 0;
      assert.equal((await api.fetch('/todos', { headers: { Authorization: `Bearer ${goodToken}` } })).status, 200);
      const refused = await api.fetch('/todos', { headers: { Authorization: `Bearer ${secretToken}` } });
      assert.equal(refused.status, 401);
      api.running.observe({ type: 'auth', outcome: 'failure', method: 'password', reason: 'wrong password' });
      const m = await scrape();
      assert.equal(metricValue(m, 'pesquel_auth_total', { outcome: 'success', method: 'jwt' }), ok0 + 1);
      assert.equal(metricValue(m, 'pesquel_auth_total', { outcome: 'failure', method: 'jwt' }), bad0 + 1);
      assert.equal(metricValue(m, 'pesquel_auth_total', { outcome: 'failure', method: 'password' }), 1);
    });

    it('schema reloads are counted', async () => {
      const n0 = metricValue(await scrape(), 'pgrst_schema_cache_loads_total', { status: 'SUCCESS' }) ?? 0;
      await api.reload();
      assert.equal(metricValue(await scrape(), 'pgrst_schema_cache_loads_total', { status: 'SUCCESS' }), n0 + 1);
    });

    it('sends Server-Timing with PostgREST phase names when server-timing-enabled', async () => {
      const r = await api.fetch('/todos');
      const t = r.headers.get('server-timing') ?? '';
      for (const phase of ['parse', 'jwt', 'plan', 'transaction', 'response']) assert.match(t, new RegExp(`(^|, )${phase};dur=\\d+\\.\\d`), t);
    });

    it('logs one JSON line per request with method, path, status, duration, role and error code; no secrets', async () => {
      lines.length = 0;
      await api.fetch('/todos?select=id&apikey=query-secret-value', { headers: { Authorization: `Bearer ${secretToken}`, Cookie: 'session=cookie-secret' } });
      await api.fetch('/todos?id=eq.1');
      await new Promise((r) => setTimeout(r, 50));
      const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      const requests = entries.filter((e) => e.msg === 'request');
      assert.equal(requests.length, 2);
      assert.deepEqual(Object.keys(requests[0] ?? {}).sort(), ['code', 'level', 'method', 'ms', 'msg', 'path', 'role', 'status', 'time']);
      assert.equal(requests[0]?.status, 401);
      assert.equal(requests[0]?.code, 'PGRST301');
      assert.equal(requests[1]?.path, '/todos');
      assert.equal(requests[1]?.role, 'api_anon');
      assert.equal(typeof requests[1]?.ms, 'number');
      const all = lines.join('\n');
      for (const secret of [secretToken, 'query-secret-value', 'cookie-secret', 'authenticator-test-password']) assert.ok(!all.includes(secret), secret);
    });
  });
}

describe('log formatting', () => {
  it('redacts credentials that reach the logger inside objects', () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => { text += d.toString(); });
    const log = createLogger('info', out);
    log.info({ password: 'pw-1', config: { jwt: 'jwt-2', dbUri: 'postgres://u:pw-3@h/db' }, headers: { authorization: 'Bearer tok-4' } }, 'x');
    for (const s of ['pw-1', 'jwt-2', 'pw-3', 'tok-4']) assert.ok(!text.includes(s), s);
    assert.equal((JSON.parse(text) as { password: string }).password, '[redacted]');
  });

  it('writes human-readable lines when asked for (a terminal), JSON otherwise', async () => {
    const capture = () => {
      const out = new PassThrough();
      const chunks: string[] = [];
      out.on('data', (d: Buffer) => chunks.push(d.toString()));
      return { out, text: () => chunks.join('') };
    };
    const pretty = capture();
    createLogger('info', pretty.out, 'pretty').info({ method: 'GET', path: '/todos', status: 200, ms: 2, role: 'api_anon' }, 'request');
    const json = capture();
    createLogger('info', json.out).info({ method: 'GET', path: '/todos', status: 200, ms: 2, role: 'api_anon' }, 'request');
    await new Promise((r) => setTimeout(r, 20));
    assert.match(pretty.text(), /^\d\d:\d\d:\d\d INFO {2}GET \/todos 200 2ms role=api_anon\n$/);
    assert.equal((JSON.parse(json.text()) as { msg: string }).msg, 'request');
  });

  it('formats request lines for a terminal', () => {
    const line = JSON.stringify({ level: 30, time: '2026-01-01T10:11:12.000Z', msg: 'request', method: 'GET', path: '/todos', status: 200, ms: 1.5, role: 'api_anon' });
    assert.equal(formatLine(line, false), '10:11:12 INFO  GET /todos 200 1.5ms role=api_anon');
    assert.equal(formatLine('not json', false), 'not json');
  });
});
