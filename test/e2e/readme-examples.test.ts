// Every curl example in README.md runs as written: the development blocks (localhost:3000) in order
// against a freshly started embedded PeSquel, the production-stack blocks (http://api.pesquel.localhost/)
// against PostgreSQL set up as the stack's init hook sets it up (sql/internal, sql/init, sql/production).
// Only the address changes (the test's free port); curl fails the block on any HTTP error.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/config.js';
import { startPesquel, type Running } from '../../src/http/main.js';
import { createLogger } from '../../src/observability/logger.js';
import { fixturesDir, startTestApi, type TestApi } from '../helpers/backends.js';
import { pgBinariesAvailable } from '../helpers/postgres-server.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
const devBlocks = blocks.filter((b) => /\bcurl\b/.test(b) && /localhost:3000/.test(b));
const prodBlocks = blocks.filter((b) => /\bcurl\b/.test(b) && /http:\/\/api\.pesquel\.localhost\//.test(b));
const tools = ['curl', 'jq', 'bash'].filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
/** Where the examples' own files land (`> openapi.json`). */
const scratch = mkdtempSync(join(tmpdir(), 'pesquel-readme-cwd-'));
process.once('exit', () => rmSync(scratch, { recursive: true, force: true }));
const skip = tools.length > 0 && `${tools.join(', ')} not installed (.ci/run installs them)`;

/**
 * Runs one README block with bash, the README's addresses pointed at `base`; curl fails on HTTP errors.
 * Asynchronously: the server under test runs in this process.
 */
function runBlock(block: string, base: string): Promise<{ status: number | null; output: string }> {
  const script = block
    .replace(/http:\/\/(api\.pesquel\.)?localhost:3000/g, base)
    .replace(/(^|[\s"'(])localhost:3000/g, `$1${base}`)
    .replace(/http:\/\/api\.pesquel\.localhost/g, base);
  const child = spawn('bash', ['-c', `set -euo pipefail\ncurl() { command curl --fail-with-body -sS --max-time 60 "$@"; }\n${script}`], { cwd: scratch });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, output })));
}

describe('README examples on a fresh embedded server', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'pesquel-readme-'));
  let running: Running;
  before(async () => {
    const config = loadConfig({ flags: { 'data-dir': dir, 'server-port': '0', 'admin-server-port': '0', 'admin-ui-port': '0', 'embedded-psql-port': '0', 'log-level': 'error' } });
    running = await startPesquel(config, { logger: createLogger('error') });
  });
  after(async () => {
    await running?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds the examples', () => {
    assert.ok(devBlocks.length >= 5, `found ${devBlocks.length} development blocks`);
    assert.ok(!/YOUR_|<[a-z_]+>|…/.test(devBlocks.join('\n')), 'no placeholders in runnable examples');
  });

  for (const [i, block] of devBlocks.entries()) {
    it(`block ${i + 1}: ${block.split('\n').find((l) => l.trim() !== '')?.slice(0, 70)}`, async () => {
      const r = await runBlock(block, running.apiUrl);
      assert.equal(r.status, 0, `${block}\n--- output ---\n${r.output}`);
    });
  }
});

describe('README production-stack examples on PostgreSQL set up as the stack does', { skip: skip || (!pgBinariesAvailable() && 'no PostgreSQL binaries') }, () => {
  let api: TestApi;
  before(async () => {
    const productionDir = join(root, 'sql', 'production');
    const production = readdirSync(productionDir).filter((f) => f.endsWith('.sql')).sort().map((f) => relative(fixturesDir, join(productionDir, f)));
    api = await startTestApi('postgres', { fixtures: production });
  });
  after(async () => api?.close());

  it('finds the examples', () => assert.ok(prodBlocks.length >= 1));

  for (const [i, block] of prodBlocks.entries()) {
    it(`block ${i + 1}: ${block.split('\n').find((l) => l.trim() !== '')?.slice(0, 70)}`, async () => {
      const r = await runBlock(block, api.url);
      assert.equal(r.status, 0, `${block}\n--- output ---\n${r.output}`);
    });
  }

  it('anonymous clients may read todos but not change them', async () => {
    assert.equal((await api.fetch('/todos')).status, 200);
    const post = await api.fetch('/todos', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"title":"anon"}' });
    assert.equal(post.status, 401);
    assert.equal(((await post.json()) as { code: string }).code, '42501');
    const del = await api.fetch('/todos', { method: 'DELETE' });
    assert.equal(del.status, 401);
    const left = await api.sql('SELECT count(*)::int AS n FROM api.todos');
    assert.ok(Number(left[0]?.n) >= 1, 'nothing deleted');
  });
});
