// The node:http adapter on a real socket: request bodies (in one or many chunks, or over the limit)
// and the status, headers and bodies it writes.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { nodeHandler } from '../../src/http/node-adapter.js';
import type { Handler } from '../../src/http/app.js';

const echo: Handler = async (req) => ({
  status: 200,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ method: req.method, length: req.body?.length ?? null, text: req.body?.toString('utf8').slice(0, 20) ?? null }),
});

async function serve(handler: Handler, maxBodyBytes?: number): Promise<{ server: Server; port: number }> {
  const server = createServer(nodeHandler(handler, maxBodyBytes === undefined ? {} : { maxBodyBytes }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, port: (server.address() as AddressInfo).port };
}

interface Reply { status: number; headers: Record<string, string | string[] | undefined>; body: string }

/** Sends the body in the given pieces (a pause between them), so the adapter sees several chunks. */
function send(port: number, method: string, pieces: readonly Buffer[]): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const length = pieces.reduce((n, p) => n + p.length, 0);
    const req = request({ host: '127.0.0.1', port, method, path: '/x', agent: false, headers: { 'Content-Length': String(length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    void (async () => {
      for (const p of pieces) {
        if (req.destroyed) return;
        req.write(p);
        await new Promise((r) => setTimeout(r, 20));
      }
      req.end();
    })();
  });
}

describe('node adapter: request bodies', () => {
  const servers: Server[] = [];
  after(() => { for (const s of servers) s.close(); });

  it('reads a body sent in several chunks, whole and in order', async () => {
    const { server, port } = await serve(echo);
    servers.push(server);
    const r = await send(port, 'POST', [Buffer.from('{"a":'), Buffer.from('"é'), Buffer.from('x"}')]);
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(r.body), { method: 'POST', length: Buffer.byteLength('{"a":"éx"}'), text: '{"a":"éx"}' });
  });

  it('gives an empty POST an empty body and a GET none', async () => {
    const { server, port } = await serve(echo);
    servers.push(server);
    assert.deepEqual(JSON.parse((await send(port, 'POST', [])).body), { method: 'POST', length: 0, text: '' });
    assert.deepEqual(JSON.parse((await send(port, 'GET', [])).body), { method: 'GET', length: null, text: null });
  });

  it('answers a body over the limit with 413 PGRST102 and closes the connection, without calling the handler', async () => {
    let called = 0;
    const { server, port } = await serve(async (req) => { called++; return echo(req); }, 10);
    servers.push(server);
    const r = await send(port, 'POST', [Buffer.from('{"a":"0123'), Buffer.from('456789"}'), Buffer.from('  ')]);
    assert.equal(r.status, 413);
    assert.equal(r.headers.connection, 'close');
    const err = JSON.parse(r.body) as { code: string; message: string };
    assert.equal(err.code, 'PGRST102');
    assert.equal(err.message, 'Request body larger than 10 bytes');
    assert.equal(called, 0);
    // The server still serves new connections.
    assert.equal((await send(port, 'POST', [Buffer.from('{}')])).status, 200);
  });
  it('answers 500 when something escapes the handler\'s boundary, and never rejects (no unhandled rejection)', async () => {
    const rejections: unknown[] = [];
    const onRejection = (err: unknown) => rejections.push(err);
    process.on('unhandledRejection', onRejection);
    try {
      // A body of no known kind: measuring it throws after the handler returned.
      const { server, port } = await serve(async () => ({ status: 200, headers: {}, body: 42 as unknown as string }));
      servers.push(server);
      const r = await send(port, 'GET', []);
      assert.equal(r.status, 500);
      assert.equal((JSON.parse(r.body) as { code: string }).code, 'PGRSTX00');
      assert.equal((await send(port, 'GET', [])).status, 500, 'still serving');
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(rejections, []);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});
