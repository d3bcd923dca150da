// Admin UI first paint (issue 7): PeSquel on a fresh embedded database with its admin UI, opened
// in headless Chromium (Debian's, driven by playwright-core) with a cold cache each time; reports
// first-contentful-paint and load time in milliseconds. Then (issue 19) every page on a schema of
// 1,000 tables (admin-pages.ts).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { freePort } from '../test/ops/free-port.js';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { loadConfig } from '../src/config/config.js';
import { startPesquel } from '../src/http/main.js';
import { createLogger } from '../src/observability/logger.js';
import { loadLargeSchema, measurePages, pagesMarkdown, type PagePaint } from './admin-pages.js';

export interface PaintResult {
  readonly loads: number;
  readonly firstContentfulPaintMs: readonly number[];
  readonly loadEventMs: readonly number[];
  readonly medianFcpMs: number;
  /** Each page's paint on 1,000 tables (absent when not asked for). */
  readonly pages?: readonly PagePaint[];
}

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

export function adminPaintAvailable(): boolean {
  return existsSync(chromiumPath) && existsSync(new URL('../admin-ui/dist/index.html', import.meta.url));
}

export async function measureAdminFirstPaint(loads = 5, opts: { pages?: boolean } = { pages: true }): Promise<PaintResult> {
  const dir = mkdtempSync(join(tmpdir(), 'pesquel-bench-paint-'));
  const running = await startPesquel(loadConfig({ flags: {
    'data-dir': join(dir, 'data'), 'server-port': '0', 'admin-server-port': '0', 'embedded-psql-port': '0',
    'admin-ui-port': String(await freePort()), 'admin-password': 'bench-admin-password', 'log-level': 'error',
  } }), { logger: createLogger('error') });
  const browser = await chromium.launch({
    executablePath: chromiumPath, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const fcp: number[] = [];
  const load: number[] = [];
  let pages: PagePaint[] | undefined;
  try {
    for (let i = 0; i < loads; i++) {
      // A new context per load: empty cache and storage, as on a first visit.
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${running.adminUiUrl}/`, { waitUntil: 'load' });
      // Chromium can record the paint entry just after the load event.
      await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0, undefined, { timeout: 10_000 });
      const t = await page.evaluate(() => ({
        fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
        load: ((performance.getEntriesByType as (t: string) => unknown[])('navigation')[0] as { loadEventEnd?: number } | undefined)?.loadEventEnd ?? NaN,
      }));
      fcp.push(t.fcp);
      load.push(t.load);
      await context.close();
    }
    if (opts.pages) {
      await loadLargeSchema(running);
      pages = await measurePages(browser, running, 'bench-admin-password');
    }
  } finally {
    await browser.close();
    await running.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { loads, firstContentfulPaintMs: fcp, loadEventMs: load, medianFcpMs: median(fcp), ...(pages ? { pages } : {}) };
}

export function paintMarkdown(r: PaintResult): string {
  const fmt = (xs: readonly number[]) => xs.map((x) => x.toFixed(0)).join(', ');
  return `\n## Admin UI first paint\n\nFresh embedded PeSquel, admin UI opened ${r.loads}× in headless Chromium with a cold cache: `
    + `first contentful paint median **${r.medianFcpMs.toFixed(0)} ms** (${fmt(r.firstContentfulPaintMs)}); load event ${fmt(r.loadEventMs)} ms.\n`
    + (r.pages ? pagesMarkdown(r.pages) : '');
}
