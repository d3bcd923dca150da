// Keeps dependencies pointing one way (STYLE.md): pure stages never import a driver or a later
// stage, and only db/ imports the database drivers.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('../../src/', import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1] as string);
}

/** Folder → folders (under src/) it must never import. Type-only imports count too. */
const forbidden: Record<string, readonly string[]> = {
  config: ['request', 'plan', 'sql', 'db', 'http', 'response', 'schema-cache', 'auth', 'cli', 'admin'],
  errors: ['request', 'plan', 'sql', 'db', 'http', 'response', 'schema-cache', 'auth', 'cli', 'admin', 'config'],
  request: ['plan', 'sql', 'db', 'http', 'response', 'cli', 'admin'],
  plan: ['sql', 'db', 'http', 'response', 'cli', 'admin'],
  sql: ['db', 'http', 'response', 'cli', 'admin'],
  response: ['sql', 'http', 'cli', 'admin'],
  openapi: ['db', 'http', 'sql', 'cli', 'admin'],
};
const drivers = ['pg', '@electric-sql/pglite'];

describe('dependency directions', () => {
  const all = files(root);
  for (const [folder, banned] of Object.entries(forbidden)) {
    it(`${folder}/ imports none of ${banned.join(', ')}`, () => {
      for (const f of all.filter((x) => relative(root, x).startsWith(`${folder}/`))) {
        for (const spec of imports(f)) {
          if (!spec.startsWith('.')) continue;
          const target = relative(root, join(f, '..', spec)).split('/')[0] ?? '';
          assert.ok(!banned.includes(target), `${relative(root, f)} imports ${spec}`);
        }
      }
    });
  }
  it('only db/ (and the admin and ops tools that need their own connections) import a driver', () => {
    const allowed = ['db/', 'admin/', 'migrate/', 'backup/'];
    for (const f of all) {
      const rel = relative(root, f);
      if (allowed.some((a) => rel.startsWith(a))) continue;
      for (const spec of imports(f)) assert.ok(!drivers.some((d) => spec === d || spec.startsWith(`${d}/`)), `${rel} imports ${spec}`);
    }
  });
});
