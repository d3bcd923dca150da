// What the admin UI's browser tests share: Debian's Chromium through playwright-core with a fresh
// profile, the client built when missing, and the screenshot folder (test-output/, git-ignored).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const shots = join(root, 'test-output', 'screenshots');
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** A skip reason when there is no browser (README: test prerequisites), else false. */
export const noChromium: string | false = !existsSync(chromiumPath) && `no Chromium at ${chromiumPath}: apt-get install chromium, or set CHROMIUM_PATH`;

/** `npm test` builds the client when it is missing (scripts/build-admin-ui.mjs); so does a file run alone. */
export function ensureClientBuilt(): void {
  if (existsSync(join(root, 'admin-ui', 'dist', 'index.html'))) return;
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build-admin-ui.mjs')], { cwd: root, stdio: 'inherit' });
  assert.equal(r.status, 0, 'building admin-ui failed');
}

export interface Chromium { readonly context: BrowserContext; close(): Promise<void> }

/** Headless Chromium on a fresh profile (passed to it as --user-data-dir), removed on close. */
export async function launchChromium(viewport = { width: 1360, height: 900 }): Promise<Chromium> {
  mkdirSync(shots, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'pesquel-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath, headless: true, viewport, acceptDownloads: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
