// The admin UI in real headless Chromium (Debian's chromium driven by playwright-core): sign in,
// browse to api.todos and edit a row (seen through the REST API), run SQL and cancel a long query,
// EXPLAIN ANALYZE, create a policy enforced for the anonymous role, and find the tabs after a
// reload. Screenshots of the main screens go to test-output/screenshots/ (git-ignored).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { adminKinds, adminPassword, startAdmin, type AdminFixture } from './helpers.js';
import { until } from '../helpers/until.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const shots = join(root, 'test-output', 'screenshots');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** `npm test` builds the client when it is missing (scripts/build-admin-ui.mjs); so does this file run alone. */
function ensureClientBuilt(): void {
  if (existsSync(join(root, 'admin-ui', 'dist', 'index.html'))) return;
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build-admin-ui.mjs')], { cwd: root, stdio: 'inherit' });
  assert.equal(r.status, 0, 'building admin-ui failed');
}

// Without a browser these tests are skipped, saying what to install (README: test prerequisites).
const noChromium = !existsSync(chromiumPath) && `no Chromium at ${chromiumPath}: apt-get install chromium, or set CHROMIUM_PATH`;

// PostgreSQL when the machine has it (cancel needs a server); else the embedded database.
const kind = adminKinds().includes('postgres') ? 'postgres' : 'pglite';

describe(`admin UI in Chromium (${kind})`, { skip: noChromium }, () => {
  let f: AdminFixture;
  let browser: BrowserContext;
  let page: Page;
  let profile: string;

  before(async () => {
    ensureClientBuilt();
    mkdirSync(shots, { recursive: true });
    f = await startAdmin(kind);
    await f.api.sql("INSERT INTO api.todos (title) VALUES ('Walk the dog'), ('Water the plants')");
    profile = mkdtempSync(join(tmpdir(), 'pesquel-chromium-'));
    // A fresh profile each run: playwright passes it to Chromium as --user-data-dir.
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath, headless: true, viewport: { width: 1360, height: 860 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
    page = browser.pages()[0] ?? await browser.newPage();
    page.setDefaultTimeout(15_000);
  });
  after(async () => {
    await browser?.close();
    await f?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`) });

  it('paints the sign-in page fast, then signs in', async (t) => {
    await page.goto(f.ui.url + '/');
    await page.getByLabel('Admin password').waitFor();
    // The benchmark suite measures this properly; here it only guards against a gross regression.
    const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1);
    t.diagnostic(`first contentful paint: ${fcp.toFixed(0)} ms`);
    assert.ok(fcp > 0 && fcp < 5000, `first contentful paint ${fcp} ms`);
    await page.getByLabel('Admin password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'wrong password' }).waitFor();
    await shot('01-sign-in');
    await page.getByLabel('Admin password').fill(adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The home page opens first; the tests go on from the browser.
    await page.getByRole('link', { name: 'Browser' }).click();
  });

  it('browses to api.todos and edits a row, which the REST API then returns', async () => {
    await page.locator('a[data-name="api.todos"]').click();
    await page.getByRole('cell', { name: 'Walk the dog' }).waitFor();
    await shot('02-browser-data-grid');
    const row = page.getByRole('row').filter({ hasText: 'Walk the dog' });
    await row.getByRole('button', { name: 'Edit' }).click();
    await page.locator('.modal input[name="title"]').fill('Walk the dog twice');
    await page.getByRole('button', { name: 'Preview SQL' }).click();
    await page.locator('.modal .sql-view').filter({ hasText: 'UPDATE "api"."todos" SET "title" = \'Walk the dog twice\' WHERE "id" =' }).waitFor();
    await shot('03-edit-preview-sql');
    await page.getByRole('button', { name: 'Run' }).click();
    await page.getByRole('cell', { name: 'Walk the dog twice' }).waitFor();
    const rest = await (await f.api.fetch('/todos?select=title&title=like.Walk*')).json();
    assert.deepEqual(rest, [{ title: 'Walk the dog twice' }]);
    await page.getByRole('tab', { name: 'DDL' }).click();
    await page.locator('.sql-view').filter({ hasText: 'CREATE TABLE "api"."todos"' }).waitFor();
    await shot('04-browser-ddl');
  });

  const editor = () => page.getByLabel('SQL', { exact: true });
  const setSql = async (text: string) => {
    await editor().fill(text);
  };

  it('runs SQL with results, counts and timings, and completes names', async () => {
    await page.getByRole('link', { name: 'SQL' }).click();
    await editor().waitFor();
    await setSql('');
    await editor().pressSequentially('select * from api.to');
    await page.getByRole('option', { name: 'todos' }).waitFor();
    await page.keyboard.press('Enter');
    await editor().pressSequentially(' where tit');
    await page.getByRole('option', { name: 'title' }).waitFor();
    await shot('05-sql-completion');
    await page.keyboard.press('Tab');
    assert.equal(await editor().inputValue(), 'select * from api.todos where title');
    await setSql("select title, completed from api.todos order by title;\nupdate api.todos set completed = true where title like 'Water%';");
    await editor().press('Control+Enter');
    await page.getByRole('cell', { name: 'Water the plants' }).waitFor();
    await page.locator('.result-head').filter({ hasText: 'UPDATE' }).filter({ hasText: '1 affected' }).waitFor();
    await shot('06-sql-results');
  });

  it('shows an error at its position and an EXPLAIN ANALYZE plan', async () => {
    await setSql('select 1;\nselect * from api.no_such_table');
    await page.getByRole('button', { name: '▶ Run' }).click();
    await page.getByText('at line 2, column 15').waitFor();
    await page.locator('.t-error').first().waitFor();
    await setSql('select * from api.todos where completed order by created_at');
    await page.getByRole('button', { name: 'Explain analyze' }).click();
    await page.locator('.plan-node').filter({ hasText: 'Seq Scan' }).first().waitFor();
    await shot('07-explain-plan');
  });

  it(kind === 'postgres' ? 'cancels a long query' : 'says the embedded database cannot cancel', async () => {
    await setSql('select pg_sleep(60)');
    const cancel = page.getByRole('button', { name: '■ Cancel' });
    if (kind !== 'postgres') {
      assert.equal(await cancel.isDisabled(), true);
      return;
    }
    const t0 = Date.now();
    await page.getByRole('button', { name: '▶ Run' }).click();
    await page.getByText('running…').waitFor();
    await shot('08-sql-running');
    await cancel.click();
    await page.getByRole('alert').filter({ hasText: 'canceling statement due to user request' }).waitFor();
    assert.ok(Date.now() - t0 < 20_000);
  });

  it('keeps tabs on the server across a reload', async () => {
    await page.getByRole('button', { name: 'new tab' }).click();
    // The new tab is stored first, then selected: typing before that would go into the first tab.
    await page.getByRole('tab', { name: 'Query 2', selected: true }).waitFor();
    // The editor saves a moment after the last keystroke: wait for that save, however long it takes.
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/sql/tabs') && r.request().method() === 'PUT'
      && (r.request().postData() ?? '').includes('-- tab two'));
    await setSql('select count(*) from api.todos -- tab two');
    assert.equal((await saved).ok(), true);
    await page.reload();
    await page.getByRole('tab', { name: 'Query 2' }).waitFor();
    // The tabs come from the server: the editor shows the active tab's text once they have arrived.
    const tabText = (want: RegExp) => until(`the editor to show ${want}`, async () => {
      const v = await editor().inputValue();
      return want.test(v) ? v : undefined;
    }, 15_000).catch(async (err: Error) => { throw new Error(`${err.message}; the editor shows ${JSON.stringify(await editor().inputValue())}, tabs: ${JSON.stringify(await page.getByRole('tab').allTextContents())}`); });
    assert.equal(await tabText(/tab two/), 'select count(*) from api.todos -- tab two');
    await page.getByRole('tab', { name: 'Query 1' }).click();
    assert.match(await tabText(/pg_sleep|todos/), /pg_sleep|todos/);
  });

  it('creates a policy that the REST API enforces for the anonymous role', async () => {
    await f.api.sql('CREATE TABLE api.announcements (id int PRIMARY KEY, body text, published boolean NOT NULL DEFAULT false)');
    await f.api.sql("INSERT INTO api.announcements VALUES (1, 'hello', true), (2, 'draft', false)");
    await f.api.sql('ALTER TABLE api.announcements ENABLE ROW LEVEL SECURITY');
    await f.api.sql('GRANT SELECT ON api.announcements TO api_anon');
    await f.api.reload();
    assert.deepEqual(await (await f.api.fetch('/announcements?select=id')).json(), []);
    await page.getByRole('link', { name: 'Roles & security' }).click();
    await page.getByRole('button', { name: 'announcements' }).click();
    await page.getByRole('button', { name: 'New policy' }).click();
    await page.locator('input[name="policy-name"]').fill('published are public');
    await page.locator('select[name="policy-command"]').selectOption('SELECT');
    await page.locator('input[name="role-api_anon"]').check();
    await page.locator('textarea[name="policy-using"]').fill('published');
    await page.getByRole('button', { name: 'Preview SQL' }).click();
    await page.locator('.modal .sql-view').filter({ hasText: 'CREATE POLICY "published are public" ON "api"."announcements"' }).waitFor();
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('cell', { name: 'published are public' }).waitFor();
    assert.deepEqual(await (await f.api.fetch('/announcements?select=id,body')).json(), [{ id: 1, body: 'hello' }]);
    await page.getByLabel('path').fill('/announcements?select=id,body');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('.api-reply').filter({ hasText: '"hello"' }).waitFor();
    await shot('09-security-policies');
  });

  it('shows activity, sizes and pools, cancels another session, and signs out', async () => {
    const sleeper = kind === 'postgres' ? f.api.sql('select pg_sleep(30) -- sleeper').then(() => null, (e: Error) => e.message) : null;
    await page.getByRole('link', { name: 'Activity' }).click();
    await page.getByText('API pool').waitFor();
    await page.getByRole('heading', { name: 'Largest tables' }).waitFor();
    if (sleeper) {
      const row = page.getByRole('row').filter({ hasText: '-- sleeper' });
      await row.getByRole('button', { name: 'Cancel' }).waitFor();
      await shot('10-activity');
      await row.getByRole('button', { name: 'Cancel' }).click();
      assert.match(String(await sleeper), /canceling statement due to user request/);
    } else {
      await shot('10-activity');
    }
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin password').waitFor();
  });
});
