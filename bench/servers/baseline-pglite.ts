// Baseline 4: a minimal node:http server running PeSquel's transaction directly on PGlite in the
// same process (one exec per request; PGlite queues overlapping calls itself). GET /__loop runs a
// script back to back for a while without HTTP, the embedded database's own ceiling.
//   node --import tsx bench/servers/baseline-pglite.ts --data-dir DIR --scripts s.json
import { createServer } from 'node:http';
import { PGlite } from '@electric-sql/pglite';
import { args, readBody } from './read-body.js';
import { bodyOf, loadScripts, SCRIPT_HEADER, statementsFor } from './script-table.js';

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

const server = createServer((req, res) => {
  void (async () => {
    let status = 500;
    let body: string;
    let type = 'text/plain';
    try {
      await readBody(req);
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/__loop') {
        body = await loop(url.searchParams.get('script') ?? '', Number(url.searchParams.get('ms') ?? 1000));
        status = 200;
        type = 'application/json';
      } else {
        const spec = scripts[String(req.headers[SCRIPT_HEADER])];
        if (!spec) throw new Error(`no script ${String(req.headers[SCRIPT_HEADER])}`);
        const rows = await run(statementsFor(spec, req.url ?? ''), spec.mainIndex);
        ({ status, contentType: type } = spec);
        body = bodyOf(rows, status);
      }
    } catch (err) {
      body = (err as Error).message;
    }
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  })();
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  if (addr && typeof addr === 'object') console.log(`READY http://127.0.0.1:${addr.port}`);
});
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void db.close().finally(() => process.exit(0));
});
