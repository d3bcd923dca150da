// Builds the admin UI's web client (admin-ui/dist, about 2 s with Vite) when it is missing, so that
// `npm install && npm start` and `npm test` work on a fresh clone without an install script.
// `--force` rebuilds. Without Vite (an install without dev dependencies) it says so and the API
// starts anyway; the admin UI then shows how to build it.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const uiDir = fileURLToPath(new URL('../admin-ui/', import.meta.url));
const force = process.argv.includes('--force');
if (!force && existsSync(`${uiDir}dist/index.html`)) process.exit(0);

let vite;
try {
  // vite's exports do not list its bin script: find it from its package.json.
  const manifest = createRequire(`${uiDir}package.json`).resolve('vite/package.json');
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8'));
  vite = join(dirname(manifest), typeof bin === 'string' ? bin : bin.vite);
} catch {
  console.error('admin UI: not built, and Vite is not installed (run npm install in the repository, then npm run build)');
  process.exit(0);
}
console.error('admin UI: building the web client (admin-ui/dist)…');
const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: uiDir, stdio: 'inherit' });
process.exit(r.status ?? 1);
