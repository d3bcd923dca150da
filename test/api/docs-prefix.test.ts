// The interactive docs page behind a reverse proxy that serves the API under a path prefix
// (https://example.com/api/ → PeSquel's /): the page loads the OpenAPI document and sends its
// "try it" requests under that prefix, never to the proxy's root. Real headless Chromium.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { startTestApi, type TestApi } from '../helpers/backends.js';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const noChromium = !existsSync(chromiumPath) && `no Chromium at ${chromiumPath}: apt-get install chromium, or set CHROMIUM_PATH`;

/** A proxy serving `target` under /prefix/ (the prefix stripped); records requests outside it. */
function prefixProxy(target: string, outside: string[]): Promise<Server> {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (!url.startsWith('/prefix/') && url !== '/prefix') {
      outside.push(url);
      res.writeHead(404).end();
      return;
    }
    const fwd = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: url.slice('/prefix'.length) || '/', headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    fwd.on('error', () => res.writeHead(502).end());
    req.pipe(fwd);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('docs page under a path prefix', { skip: noChromium }, () => {
  let api: TestApi;
  let proxy: Server;
  let browser: BrowserContext;
  let profile: string;
  const outside: string[] = [];

  before(async () => {
    api = await startTestApi('pglite');
    proxy = await prefixProxy(api.url, outside);
    profile = mkdtempSync(join(tmpdir(), 'pesquel-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath, headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
  });
  after(async () => {
    await browser?.close();
    await new Promise((r) => proxy?.close(r));
    await api?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  for (const path of ['/prefix/', '/prefix']) {
    it(`loads the description and runs "try it" at ${path}`, async () => {
      const page = browser.pages()[0] ?? await browser.newPage();
      page.setDefaultTimeout(20_000);
      const { port } = proxy.address() as AddressInfo;
      await page.goto(`http://127.0.0.1:${port}${path}`);
      const op = page.locator('details.op', { hasText: '/todos' }).first();
      await op.locator('summary').click();
      await op.getByRole('button', { name: 'Send' }).click();
      const status = op.locator('.status');
      await status.waitFor();
      assert.match(await status.textContent() ?? '', /^200 /);
      assert.deepEqual(outside, [], 'no request left the prefix');
    });
  }
});
