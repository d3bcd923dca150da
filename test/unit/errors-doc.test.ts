// docs/errors.md must list every PGRST code the code base can produce.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

describe('docs/errors.md', () => {
  it('lists every code constructed in src/errors/codes.ts', () => {
    const codes = readFileSync(new URL('../../src/errors/codes.ts', import.meta.url), 'utf8');
    const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
    const used = new Set([...codes.matchAll(/'(PGRST[0-9X]{3})'/g)].map((m) => m[1] as string));
    assert.ok(used.size > 30);
    for (const code of used) assert.ok(doc.includes(`| ${code} |`), `${code} is not documented`);
  });
});
