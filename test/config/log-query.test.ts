// log-query = main-query: each request line carries its main statement's text with `$n` placeholders;
// values (filters, bodies) never appear. disabled (the default): no query field.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/observability/logger.js';
import { startTestApi, type TestApi } from '../helpers/backends.js';
import { until } from '../helpers/until.js';
import { logLines } from './harness.js';

const secret = 'filter-secret-4b1d';
const bodySecret = 'body-secret-9c2e';

describe('log-query (pglite)', () => {
  let api: TestApi;
  const { out, lines } = logLines();
  before(async () => {
    api = await startTestApi('pglite', { options: { 'log-query': 'main-query' }, start: { logger: createLogger('info', out) } });
  });
  after(async () => { await api?.close(); });

  const requestLines = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e.msg === 'request');

  it('logs the main statement of reads and writes, never their values', async () => {
    lines.length = 0;
    assert.equal((await api.fetch(`/todos?title=eq.${secret}&select=id,title`)).status, 200);
    const post = await api.fetch('/todos', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ title: bodySecret }) });
    await post.text();
    const entries = await until('two request lines', async () => (requestLines().length >= 2 ? requestLines() : undefined));
    const [read, write] = entries;
    assert.match(String(read?.query), /"title" = \$\d/);
    assert.match(String(read?.query), /^(WITH|SELECT)/i);
    assert.match(String(write?.query), /INSERT INTO/i);
    const all = lines.join('\n');
    assert.ok(!all.includes(secret) && !all.includes(bodySecret), all);
  });

  it('adds nothing to lines of requests that ran no statement', async () => {
    lines.length = 0;
    assert.equal((await api.fetch('/todos?select=nope(')).status, 400);
    const [line] = await until('a request line', async () => (requestLines().length >= 1 ? requestLines() : undefined));
    assert.equal(line?.query, undefined);
  });

  it('defaults to disabled and accepts only disabled or main-query', () => {
    assert.equal(loadConfig({}).logQuery, 'disabled');
    assert.equal(loadConfig({ env: { PGRST_LOG_QUERY: 'main-query' } }).logQuery, 'main-query');
    assert.throws(() => loadConfig({ flags: { 'log-query': 'all' } }), /invalid setting 'log-query': expected one of disabled, main-query/);
  });
});
