// Baseline 4: a minimal node:http server running PeSquel's transaction directly on PGlite in the
// same process (one exec per request; PGlite queues overlapping calls itself). GET /__loop runs a
// script back to back for a while without HTTP, the embedded database's own ceiling.
//   node --import tsx bench/servers/baseline-pglite.ts --data-dir DIR --scripts s.json
import { PGlite } from '@electric-sql/pglite';
import { args } from './read-body.js';
import { loadScripts } from './script-table.js';
import { serveScripts } from './serve-scripts.js';

const a = args(process.argv.slice(2));
const scripts = loadScripts(a.scripts ?? '');
const db = await PGlite.create(a['data-dir'] ?? 'memory://');

async function run(statements: readonly string[], mainIndex: number): Promise<Record<string, unknown>[]> {
  try {
    const results = await db.exec(statements.join(';\n'));
    return (results[mainIndex]?.rows ?? []) as Record<string, unknown>[];
  } catch (err) {
    await db.exec('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

async function loop(id: string, ms: number): Promise<string> {
  const spec = scripts[id];
  if (!spec) throw new Error(`no script ${id}`);
  const t0 = performance.now();
  let tx = 0;
  while (performance.now() - t0 < ms) {
    await run(spec.statements, spec.mainIndex);
    tx++;
  }
  return JSON.stringify({ tx, seconds: (performance.now() - t0) / 1000 });
}

serveScripts(scripts, run, () => db.close(), async (url) =>
  url.pathname === '/__loop'
    ? { status: 200, type: 'application/json', body: await loop(url.searchParams.get('script') ?? '', Number(url.searchParams.get('ms') ?? 1000)) }
    : null);
