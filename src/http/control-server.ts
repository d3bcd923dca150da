// The embedded database's control endpoint. A PGlite data directory can be opened by one process
// only, so while `pesquel start` serves it, `pesquel migrate` and `pesquel backup` ask this server
// to do the work. It listens on 127.0.0.1 (ephemeral port) and wants the bearer token written,
// owner-only, to <data-dir>.control.json next to the data directory.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, dirname, join, resolve } from 'node:path';
import { rmSync, writeFileSync } from 'node:fs';

export interface ControlFile {
  readonly pid: number;
  readonly url: string;
  readonly token: string;
}

/** `.pesquel/data` → `.pesquel/data.control.json` (beside, not inside, the PostgreSQL data directory). */
export const controlFilePath = (dataDir: string) => join(dirname(resolve(dataDir)), `${basename(resolve(dataDir))}.control.json`);

export type ControlHandler = (body: unknown) => Promise<unknown>;

export interface ControlServer {
  readonly url: string;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
}

export async function startControlServer(dataDir: string, routes: Readonly<Record<string, ControlHandler>>): Promise<ControlServer> {
  const token = randomBytes(32).toString('hex');
  const expected = Buffer.from(`Bearer ${token}`);
  const server: Server = createServer((req, res) => {
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return void res.writeHead(401).end();
    const handler = req.method === 'POST' ? routes[(req.url ?? '').split('?')[0] ?? ''] : undefined;
    if (!handler) return void res.writeHead(404).end();
    readJson(req).then(handler).then(
      (out) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(out)),
      (err: unknown) => res.writeHead(409, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ error: err instanceof Error ? err.message : String(err) })),
    );
  });
  await new Promise<void>((r, j) => { server.once('error', j); server.listen(0, '127.0.0.1', () => r()); });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const file = controlFilePath(dataDir);
  writeFileSync(file, JSON.stringify({ pid: process.pid, url, token } satisfies ControlFile) + '\n', { mode: 0o600 });
  return {
    url,
    close: async () => {
      rmSync(file, { force: true });
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
