// The table designer and the ER diagram in real headless Chromium: design a table with a primary
// key, a foreign key, a unique index, RLS with its first policy and a grant; read the DDL preview,
// apply it and get the table from the REST API after its schema reload; then find the table in
// the ER diagram, follow it to the browser, pan and zoom, and export the diagram as SVG.
// Screenshots go to test-output/screenshots/ (git-ignored), referenced by docs/admin-ui.md.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { adminKinds, startAdmin, type AdminFixture } from './helpers.js';
import { ensureClientBuilt, launchChromium, noChromium, shots, type Chromium } from './browser-kit.js';

// What the functions run in the page see (this file is type-checked without DOM types).
declare const document: { querySelector(selector: string): { getAttribute(name: string): string | null } | null };
declare const location: { hash: string };

const kind = adminKinds().includes('postgres') ? 'postgres' : 'pglite';

describe(`table designer and ER diagram in Chromium (${kind})`, { skip: noChromium }, () => {
  let f: AdminFixture;
  let browser: Chromium;
  let page: Page;

  before(async () => {
    ensureClientBuilt();
    f = await startAdmin(kind);
    browser = await launchChromium();
    // The session of the signed-in API client (sign-in itself is browser.test.ts's subject).
    const [name, value] = f.client.cookie.split('=') as [string, string];
    await browser.context.addCookies([{ name, value, url: f.ui.url }]);
    page = browser.context.pages()[0] ?? await browser.context.newPage();
    page.setDefaultTimeout(20_000);
  });
  after(async () => {
    await browser?.close();
    await f?.close();
  });

  const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  /** Types into a field and leaves it, as a user does (the forms take a value on change). */
  const label = (text: string) => page.getByLabel(text, { exact: true });
  const type = async (field: string, text: string) => {
    await page.getByLabel(field, { exact: true }).fill(text);
    await page.getByLabel(field, { exact: true }).press('Tab');
  };
  /** Waits for `what`, failing at once with the page's error message if one shows instead. */
  const shown = async (what: ReturnType<Page['locator']>) => {
    const failed = page.locator('.error').first();
    await what.or(failed).first().waitFor();
    if (!(await what.isVisible()) && (await failed.isVisible())) throw new Error(`the page shows: ${await failed.innerText()}`);
  };
  const pick = (group: string, label: string) => page.getByRole('group', { name: group, exact: true }).getByLabel(label, { exact: true }).check();

  it('designs a table, previews its DDL, applies it, and the API serves it after the reload', async () => {
    await page.goto(`${f.ui.url}/#/designer/api`);
    await label('table name').waitFor();
    assert.equal((await fetch(`${f.api.url}/projects`)).status, 404);
    await type('table name', 'projects');
    await page.getByRole('button', { name: 'Add column' }).click();
    await type('column 2 name', 'todo');
    await type('column 2 type', 'uuid');
    await page.getByRole('button', { name: 'Add column' }).click();
    await type('column 3 name', 'title');
    await type('column 3 type', 'character varying(80)');
    await label('column 3 nullable').uncheck();
    await page.getByRole('button', { name: 'Add foreign key' }).click();
    await pick('foreign key 1 columns', 'todo');
    await label('foreign key 1 target').selectOption('api.todos');
    await pick('foreign key 1 target columns', 'id');
    await label('foreign key 1 on delete').selectOption('CASCADE');
    await page.getByRole('button', { name: 'Add index' }).click();
    await pick('index 1 columns', 'title');
    await label('index 1 unique').check();
    await page.getByRole('button', { name: 'Add a policy' }).click();
    await type('policy name', 'projects are public');
    await pick('policy roles', 'api_anon');
    await page.getByRole('button', { name: 'Add grant' }).click();
    await label('grant 1 role').selectOption('api_anon');
    await page.getByRole('button', { name: 'Preview DDL' }).click();
    const preview = page.getByRole('region', { name: 'DDL preview' });
    await shown(preview.filter({ hasText: 'CREATE TABLE "api"."projects"' }));
    const ddl = await preview.locator('.sql-view').innerText();
    assert.equal(ddl, [
      'CREATE TABLE "api"."projects" (\n  "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,\n  "todo" uuid,\n  "title" character varying(80) NOT NULL,\n'
        + '  PRIMARY KEY ("id"),\n  FOREIGN KEY ("todo") REFERENCES "api"."todos" ("id") ON DELETE CASCADE\n);',
      'CREATE UNIQUE INDEX ON "api"."projects" ("title");',
      'ALTER TABLE "api"."projects" ENABLE ROW LEVEL SECURITY;',
      'CREATE POLICY "projects are public" ON "api"."projects" AS PERMISSIVE FOR SELECT TO "api_anon" USING (true);',
      'GRANT SELECT ON "api"."projects" TO "api_anon";',
    ].join('\n\n'));
    await shot('10-designer-ddl-preview');
    await page.getByRole('button', { name: 'Apply' }).click();
    await shown(page.getByRole('status').filter({ hasText: 'Applied in one transaction' }));
    const r = await fetch(`${f.api.url}/projects?select=id,title`);
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), []);
    // The designer now edits the table as it is.
    await page.waitForFunction(() => location.hash === '#/designer/api/projects');
    await label('column 3 name').waitFor();
    assert.equal(await label('column 3 name').inputValue(), 'title');
    await shot('11-designer-table');
  });

  it('alters the table: a new column, previewed as ALTER TABLE', async () => {
    await page.getByRole('button', { name: 'Add column' }).click();
    await type('column 4 name', 'done');
    await type('column 4 type', 'boolean');
    await label('column 4 value').selectOption('default');
    await type('column 4 expression', 'false');
    await page.getByRole('button', { name: 'Preview DDL' }).click();
    await shown(page.getByRole('region', { name: 'DDL preview' }).filter({ hasText: 'ALTER TABLE "api"."projects" ADD COLUMN "done" boolean DEFAULT (false);' }));
    await page.getByRole('button', { name: 'Apply' }).click();
    await shown(page.getByRole('status').filter({ hasText: 'Applied' }));
    assert.equal((await fetch(`${f.api.url}/projects?select=done`)).status, 200);
  });

  it('draws the ER diagram, pans and zooms, follows a table to the browser and exports SVG', async () => {
    await page.goto(`${f.ui.url}/#/er/api`);
    const node = page.locator('.er-node[data-name="projects"]');
    await shown(node);
    assert.ok(await page.locator('.er-node').count() >= 3);
    assert.equal(await page.locator('.er-edge[data-fk="projects_todo_fkey"]').count(), 1);
    await shot('12-er-diagram');
    const transform = () => page.locator('svg.er-canvas > g').getAttribute('transform');
    const before = await transform();
    const box = (await page.locator('svg.er-canvas').boundingBox())!;
    await page.mouse.move(box.x + 20, box.y + 20);
    await page.mouse.wheel(0, -400);
    await page.waitForFunction((t) => document.querySelector('svg.er-canvas > g')?.getAttribute('transform') !== t, before);
    const zoomed = await transform();
    await page.mouse.move(box.x + 40, box.y + box.height - 20);
    await page.mouse.down();
    await page.mouse.move(box.x + 140, box.y + box.height - 60, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction((t) => document.querySelector('svg.er-canvas > g')?.getAttribute('transform') !== t, zoomed);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export SVG' }).click();
    const file = await (await download).path();
    const svg = readFileSync(file, 'utf8');
    assert.match(svg, /^<\?xml[^]*<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(svg, />projects</);
    assert.doesNotMatch(svg, /<g transform=/);
    await node.locator('rect').first().click();
    await page.waitForFunction(() => location.hash.startsWith('#/browse/rel/'));
    await page.getByRole('heading', { name: /projects/ }).first().waitFor();
  });
});
