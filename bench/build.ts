// PeSquel is benchmarked as deployed: the compiled dist/ (node dist/cli/entry.js), not through a
// TypeScript loader. dist/ is rebuilt first when any file under src/ is newer than it.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const PESQUEL_ENTRY = 'dist/cli/entry.js';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds `root`'s dist/ when it is missing or older than its src/; returns whether it built. */
export function ensureBuilt(root: string, log: (line: string) => void): boolean {
  const entry = join(root, PESQUEL_ENTRY);
  if (existsSync(entry) && statSync(entry).mtimeMs >= newestMtime(join(root, 'src'))) return false;
  log(`building ${join(root, 'dist')} (src/ is newer)`);
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  return true;
}
