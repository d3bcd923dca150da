// The minimal node:http server both baselines share: each request names a recorded PeSquel script
// (SCRIPT_HEADER), `run` executes it, and the body is built as PeSquel would; `extra` may answer
// some requests itself (baseline 4's /__loop). Prints READY <url> and exits cleanly on SIGTERM.
import { createServer } from 'node:http';
import { readBody } from './read-body.js';
import { bodyOf, isChunked, SCRIPT_HEADER, statementsFor, type ScriptTable } from './script-table.js';

export type RunScript = (statements: readonly string[], mainIndex: number) => Promise<Record<string, unknown>[]>;
export type ExtraRoute = (url: URL) => Promise<{ status: number; type: string; body: string } | null>;

export function serveScripts(scripts: ScriptTable, run: RunScript, close: () => Promise<unknown>, extra?: ExtraRoute): void {
  const server = createServer((req, res) => {
    void (async () => {
      let status = 500;
      let body: string;
      let type = 'text/plain';
      try {
        await readBody(req);
        const own = extra ? await extra(new URL(req.url ?? '/', 'http://x')) : null;
        if (own) {
          ({ status, type, body } = own);
        } else {
          const spec = scripts[String(req.headers[SCRIPT_HEADER])];
          if (!spec) throw new Error(`no script ${String(req.headers[SCRIPT_HEADER])}`);
          const rows = await run(statementsFor(spec, req.url ?? ''), spec.mainIndex);
          ({ status, contentType: type } = spec);
          body = bodyOf(rows, status, isChunked(spec));
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
    void close().finally(() => process.exit(0));
  });
}
