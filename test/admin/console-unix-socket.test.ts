// The admin UI's API console when the API listens on a Unix socket (server-unix-socket): requests
// reach the API over the socket, with the role's token, and the path still cannot leave the API.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config.js';
import { startPesquel, type Running } from '../../src/http/main.js';
import { createLogger } from '../../src/observability/logger.js';
import { freePort } from '../ops/free-port.js';
import { adminClient, adminPassword, signIn, type AdminClient } from './helpers.js';

describe('API console over server-unix-socket', () => {
  let dir: string;
  let running: Running | undefined;
  let client: AdminClient;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pesquel-console-sock-'));
    const config = loadConfig({ flags: {
      'data-dir': join(dir, 'data'), 'server-unix-socket': join(dir, 'api.sock'), 'admin-server-port': '0',
      'admin-ui-port': String(await freePort()), 'embedded-psql-port': '0', 'admin-password': adminPassword, 'log-level': 'crit',
    } });
    running = await startPesquel(config, { logger: createLogger('crit') });
    const url = running.adminUiUrl;
    assert.ok(url, 'the admin UI runs');
    client = adminClient(url);
    assert.equal((await signIn(client)).status, 200);
  });
  after(async () => {
    await running?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends the request over the socket, as a role, and returns the answer', async () => {
    const r = await client.call<{ status: number; headers: Record<string, string>; body: string; authorization: string | null }>(
      'POST', '/api/security/api-request', { method: 'GET', path: '/todos?select=id&limit=1', runAs: { role: 'api_anon' } });
    assert.equal(r.status, 200, r.body);
    assert.match(r.headers['content-type'] ?? '', /^application\/json/);
    assert.ok(Array.isArray(JSON.parse(r.body)));
    const post = await client.call<{ status: number; body: string }>('POST', '/api/security/api-request',
      { method: 'POST', path: '/rpc/add', body: JSON.stringify({ a: 2, b: 3 }) });
    assert.equal(post.status, 200, post.body);
    assert.equal(JSON.parse(post.body), 5);
  });

  it('still refuses a path that would leave the API', async () => {
    const r = await client.fetch('/api/security/api-request', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ path: '//evil.example/x' }),
    });
    assert.equal(r.status, 400);
  });
});
