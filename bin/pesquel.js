#!/usr/bin/env node
// The `pesquel` command. Runs the compiled CLI (dist/, from `npm run build`; the published package
// ships it) when it is newer than every source file, else the TypeScript sources through tsx: a
// fresh clone after `npm install`, `npx pesquel` in it and edited sources start without a build step.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = join(root, 'dist', 'cli', 'entry.js');
const sources = join(root, 'src');

/** The latest modification time of the sources dist/ is compiled from (milliseconds). */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

if (existsSync(built) && (!existsSync(sources) || statSync(built).mtimeMs >= newestSource(sources))) {
  await import('../dist/cli/entry.js');
} else {
  // tsx is a development dependency: a clone has it after `npm install`; the published package
  // runs dist/ and installs neither tsx nor esbuild (whose install script npm would flag).
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    console.error(`pesquel: no up-to-date build in ${join(root, 'dist')} and tsx is not installed: run npm install (with development dependencies), or npm run build, in ${root}`);
    process.exit(1);
  }
  register();
  await import('../src/cli/entry.ts');
}
