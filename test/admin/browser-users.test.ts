// Accounts, audit and backups in real headless Chromium (Debian's chromium driven by playwright-core):
// a viewer sees no edit controls and the server refuses its writes; an editor's grid edit appears in
// the owner's audit page; a backup started from the UI appears in the list, and its restore check
// shows the row counts. Screenshots go to test-output/screenshots/ (git-ignored).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { adminKinds, adminPassword, openChromium, startAdmin, type AdminFixture } from './helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const shots = join(root, 'test-output', 'screenshots');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const noChromium = !existsSync(chromiumPath) && `no Chromium at ${chromiumPath}: apt-get install chromium, or set CHROMIUM_PATH`;
const kind = adminKinds().includes('postgres') ? 'postgres' : 'pglite';

const accounts = { viewer: ['vera@example.com', 'viewer-password-1'], editor: ['ed@example.com', 'editor-password-1'] } as const;

describe(`admin accounts, audit and backups in Chromium (${kind})`, { skip: noChromium }, () => {
  let f: AdminFixture;
  let chromium: Awaited<ReturnType<typeof openChromium>> | undefined;
  let page: Page;
  const backupDir = mkdtempSync(join(tmpdir(), 'pesquel-ui-backups-'));

  before(async () => {
    if (!existsSync(join(root, 'admin-ui', 'dist', 'index.html'))) {
      assert.equal(spawnSync(process.execPath, [join(root, 'scripts', 'build-admin-ui.mjs')], { cwd: root, stdio: 'inherit' }).status, 0);
    }
    mkdirSync(shots, { recursive: true });
    f = await startAdmin(kind, [], { 'backup-dir': backupDir });
    await f.api.sql("INSERT INTO api.todos (title) VALUES ('Feed the cat'), ('Call mum')");
    for (const [role, [email, password]] of Object.entries(accounts)) await f.client.call('POST', '/api/users', { email, role, password });
    chromium = await openChromium(chromiumPath);
    page = chromium.page;
    page.setDefaultTimeout(20_000);
  });
  after(async () => {
    await chromium?.close();
    await f?.close();
    rmSync(backupDir, { recursive: true, force: true });
  });

  const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`) });
  const signIn = async (email: string, password: string) => {
    await page.goto(f.ui.url + '/#/home');
    await page.getByLabel('Account').fill(email);
    await page.getByLabel('Admin password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.top .account').filter({ hasText: email === '' ? 'admin' : email }).waitFor();
  };
  const signOut = async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin password').waitFor();
  };
  const openTodos = async () => {
    await page.getByRole('link', { name: 'Browser' }).click();
    await page.locator('a[data-name="api.todos"]').click();
    await page.getByRole('cell', { name: 'Feed the cat' }).waitFor();
  };

  it('shows a viewer no edit controls, and the server refuses its writes', async () => {
    await signIn(...accounts.viewer);
    await page.locator('.card .role').filter({ hasText: 'viewer' }).waitFor();
    const nav = await page.locator('header nav a').allInnerTexts();
    assert.ok(!nav.includes('Designer') && !nav.includes('Audit') && !nav.includes('Users'), nav.join());
    await openTodos();
    assert.equal(await page.getByRole('button', { name: 'Edit' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Insert row' }).count(), 0);
    assert.equal(await page.getByText('Import CSV').count(), 0);
    await shot('20-viewer-read-only-grid');
    // The same request the editor's Run sends, made by hand with the viewer's session and CSRF token.
    const status = await page.evaluate(async () => {
      const s = (await (await fetch('/api/session')).json()) as { csrf: string };
      const r = await fetch('/api/data/apply', {
        method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf },
        body: JSON.stringify({ schema: 'api', table: 'todos', change: { op: 'update', key: { id: '1' }, values: { title: 'hacked' } } }),
      });
      return r.status;
    });
    assert.equal(status, 403);
    await page.getByRole('link', { name: 'SQL' }).click();
    const editor = page.getByLabel('SQL', { exact: true });
    await editor.fill("update api.todos set title = 'hacked'");
    await editor.press('Control+Enter');
    await page.getByRole('alert').filter({ hasText: 'read-only transaction' }).waitFor();
    await shot('21-viewer-sql-read-only');
    const rows = await f.api.sql("SELECT count(*)::int AS n FROM api.todos WHERE title = 'hacked'");
    assert.equal(Number(rows[0]?.n), 0);
    await signOut();
  });

  it("records an editor's grid edit, which the owner finds on the audit page", async () => {
    await signIn(...accounts.editor);
    await openTodos();
    const row = page.getByRole('row').filter({ hasText: 'Feed the cat' });
    await row.getByRole('button', { name: 'Edit' }).click();
    await page.locator('.modal input[name="title"]').fill('Feed the cat at six');
    await page.getByRole('button', { name: 'Preview SQL' }).click();
    await page.getByRole('button', { name: 'Run' }).click();
    await page.getByRole('cell', { name: 'Feed the cat at six' }).waitFor();
    await signOut();

    await signIn('', adminPassword);
    await page.getByRole('link', { name: 'Audit' }).click();
    const entry = page.locator('.audit-table tr').filter({ hasText: 'ed@example.com' }).filter({ hasText: 'grid.update' });
    await entry.filter({ hasText: 'Feed the cat at six' }).waitFor();
    assert.match(await entry.innerText(), /UPDATE "api"\."todos" SET "title" = 'Feed the cat at six'/);
    await page.getByLabel('Account').selectOption('ed@example.com');
    await page.locator('.pager').filter({ hasText: '1–1 of 1' }).waitFor();
    await shot('22-audit-log');
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('cell', { name: 'vera@example.com' }).waitFor();
    await shot('23-users');
  });

  it('starts a backup that appears in the list, checks its restore with row counts, and shows its age on the home page', async () => {
    await page.getByRole('link', { name: 'Home' }).click();
    await page.getByRole('alert').filter({ hasText: 'No backup in the last 49 h' }).waitFor();
    await page.getByRole('link', { name: 'Backups' }).click();
    await page.getByText('No backups yet.').waitFor();
    await page.getByRole('button', { name: 'Back up now' }).click();
    await page.getByRole('status').filter({ hasText: 'Backup written:' }).waitFor({ timeout: 120_000 });
    const listed = page.locator('tr[data-file]');
    await listed.first().waitFor();
    assert.equal(await listed.count(), 1);
    await shot('24-backups');
    await listed.first().getByRole('button', { name: 'Check restore' }).click();
    await page.getByRole('status').filter({ hasText: 'Row counts match' }).waitFor({ timeout: 120_000 });
    await page.getByRole('cell', { name: 'api.todos' }).waitFor();
    await shot('25-backup-restore-check');
    await listed.first().getByRole('button', { name: 'Restore…' }).click();
    const confirm = page.locator('.modal').getByRole('button', { name: 'Restore' });
    assert.equal(await confirm.isDisabled(), true, 'disabled until the file name is typed');
    await page.locator('.modal').getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('link', { name: 'Home' }).click();
    await page.locator('.backup-status').filter({ hasText: /\d+ min ago/ }).waitFor();
    assert.equal(await page.locator('.backup-status.warn').count(), 0);
    await shot('26-home');
  });
});
