// First paint of every admin UI page on a schema of 1,000 tables (test/fixtures/thousand-tables.sql):
// each page opened signed in, in a fresh browser context (cold cache), timing first contentful
// paint and "ready" (its content drawn, no "Loading…" left); the ER diagram also until laid out.
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import type { Running } from '../src/http/main.js';

export interface PagePaint {
  readonly page: string;
  readonly fcpMs: number;
  /** Navigation start → the page's content drawn. */
  readonly readyMs: number;
  /** The ER diagram only: navigation start → the laid-out diagram drawn. */
  readonly diagramMs?: number;
}

export const largeSchemaFixture = new URL('../test/fixtures/thousand-tables.sql', import.meta.url);

export async function loadLargeSchema(running: Running): Promise<void> {
  const sql = readFileSync(largeSchemaFixture, 'utf8');
  await running.db.withConnection((c) => c.exec(sql));
  await running.reloadSchema();
}

/** The session cookie of a password sign-in (the bench starts PeSquel with admin-password). */
async function sessionCookie(url: string, password: string): Promise<{ name: string; value: string }> {
  const r = await fetch(`${url}/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ password }) });
  if (!r.ok) throw new Error(`admin sign-in failed: ${r.status}`);
  const [name = '', value = ''] = (r.headers.get('set-cookie') ?? '').split(';')[0]!.split('=');
  return { name, value };
}

// The page's document, as the functions below see it in the browser (this file is type-checked without DOM types).
declare const document: { querySelector(selector: string): { textContent: string | null } | null };

// Drawn: the main area holds text and nothing says it is still loading.
const readyCheck = () => {
  const main = document.querySelector('main');
  const text = main?.textContent ?? '';
  return text.trim().length > 0 && !/Loading…|loading…/.test(text) ? performance.now() : false;
};

export async function measurePages(browser: Browser, running: Running, password: string): Promise<PagePaint[]> {
  const url = running.adminUiUrl as string;
  const cookie = await sessionCookie(url, password);
  const open = async (hash: string, extra?: string) => {
    const context = await browser.newContext({ viewport: { width: 1360, height: 860 } });
    await context.addCookies([{ ...cookie, url }]);
    const page = await context.newPage();
    try {
      await page.goto(`${url}/${hash}`, { waitUntil: 'commit' });
      const ready = await (await page.waitForFunction(readyCheck, undefined, { polling: 'raf', timeout: 60_000 })).jsonValue() as number;
      await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0, undefined, { timeout: 10_000 });
      const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN);
      const diagram = extra
        ? await (await page.waitForFunction((sel) => (document.querySelector(sel) ? performance.now() : false), extra, { polling: 'raf', timeout: 120_000 })).jsonValue() as number
        : undefined;
      const links = await page.locator('header nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
      return { result: { page: hash, fcpMs: fcp, readyMs: ready, ...(diagram === undefined ? {} : { diagramMs: diagram }) }, links };
    } finally {
      await context.close();
    }
  };
  const [row] = await running.db.withConnection((c) => c.query<{ oid: number }>("SELECT 'api.table_0500'::regclass::oid::int AS oid")).then((r) => r.rows);
  const first = await open('#/browse');
  // Every page of the navigation (whatever screens the build has), then the deep pages.
  const pages = [...new Set([...first.links, `#/browse/rel/${row?.oid ?? 0}`, '#/designer/api/table_0500'])].filter((h) => h !== '#/browse');
  const out: PagePaint[] = [first.result];
  for (const hash of pages) out.push((await open(hash, hash.startsWith('#/er') ? 'svg.er-canvas.ready .er-node' : undefined)).result);
  return out;
}

export function pagesMarkdown(pages: readonly PagePaint[]): string {
  const rows = pages.map((p) => `| \`${p.page}\` | ${p.fcpMs.toFixed(0)} | ${p.readyMs.toFixed(0)}${p.diagramMs === undefined ? '' : ` (diagram laid out: ${p.diagramMs.toFixed(0)})`} |`);
  return `\nEvery page on 1,000 tables (test/fixtures/thousand-tables.sql), cold cache, signed in:\n\n| page | first contentful paint (ms) | ready (ms) |\n|---|---:|---:|\n${rows.join('\n')}\n`;
}
