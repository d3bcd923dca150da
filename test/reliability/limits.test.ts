// The API's budgets (issue 20 items 8 and 9) on a real server: bodies per request and in flight,
// bodies that stall or trickle, the connection cap, header size, JSON depth and peak memory. Every
// refusal has PostgREST's error shape and the server keeps serving.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { MAX_JSON_DEPTH } from '../../src/request/body-json.js';
import { backendKinds, startTestApi, type TestApi } from '../helpers/backends.js';
import { rawConnect, requestHead, type RawAnswer, type RawConnection } from './raw-client.js';

const KB = 1024;
const MB = 1024 * KB;

const tight = {
  'server-max-body-bytes': String(1 * MB),
  'server-max-body-total-bytes': String(1.5 * MB),
  'server-body-idle-timeout': '2',
  'server-body-min-rate': '200',
  'server-max-connections': '12',
  'server-max-header-bytes': String(16 * KB),
};

async function setup(api: TestApi): Promise<void> {
  for (const s of [
    'CREATE TABLE api.lim_items (id serial PRIMARY KEY, t text, j json)',
    'GRANT SELECT, INSERT ON api.lim_items TO api_anon',
    'GRANT USAGE ON SEQUENCE api.lim_items_id_seq TO api_anon',
    'CREATE FUNCTION api.lim_echo(j json) RETURNS json LANGUAGE sql IMMUTABLE AS $$ SELECT j $$',
    'GRANT EXECUTE ON FUNCTION api.lim_echo(json) TO api_anon',
  ]) await api.sql(s);
  await api.reload();
}

/** A JSON array of rows, about `bytes` long. */
function rows(bytes: number): string {
  const row = JSON.stringify({ t: 'x'.repeat(90) });
  return `[${Array.from({ length: Math.max(1, Math.floor(bytes / (row.length + 1))) }, () => row).join(',')}]`;
}

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

function assertError(a: RawAnswer | { status: number; body: string }, status: number, code: string): { message: string; details: unknown } {
  assert.equal(a.status, status, a.body);
  const e = JSON.parse(a.body) as { code: string; message: string; details: unknown; hint: unknown };
  assert.deepEqual(Object.keys(e), ['code', 'details', 'hint', 'message']);
  assert.equal(e.code, code);
  return e;
}

const post = (api: TestApi, path: string, body: string, headers: Record<string, string> = {}) =>
  api.fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json', Prefer: 'return=minimal', ...headers }, body });

describe('limits: bodies, connections, headers (pglite, tight budgets)', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi('pglite', { options: tight });
    await setup(api);
  });
  after(async () => {
    await api?.close();
  });

  it('a declared body over server-max-body-bytes gets 413 before a byte of it is sent', async () => {
    const c = await rawConnect(api.url);
    c.send(requestHead(api.url, 'POST', '/lim_items', ['Content-Type: application/json', `Content-Length: ${2 * MB}`]));
    const e = assertError(await c.answer(), 413, 'PGRST102');
    assert.equal(e.message, `Request body larger than ${MB} bytes`);
    await c.closed;
  });

  it('a chunked body over the limit gets 413 when it passes the limit', async () => {
    const c = await rawConnect(api.url);
    c.send(requestHead(api.url, 'POST', '/lim_items', ['Content-Type: application/json', 'Transfer-Encoding: chunked']));
    const piece = 'x'.repeat(64 * KB);
    const answer = c.answer();
    for (let sent = 0; sent <= MB + 64 * KB && !c.socket.destroyed; sent += piece.length) c.send(`${piece.length.toString(16)}\r\n${piece}\r\n`);
    assertError(await answer, 413, 'PGRST102');
    await c.closed;
  });

  it('bodies past server-max-body-total-bytes get 503 with Retry-After; the budget comes back', async () => {
    const body = rows(MB - 4 * KB);
    const holder = await rawConnect(api.url);
    holder.send(requestHead(api.url, 'POST', '/lim_items', ['Content-Type: application/json', 'Prefer: return=minimal', `Content-Length: ${body.length}`]));
    holder.send(body.slice(0, 1000)); // holds about 1 MB of the 1.5 MB budget from here on
    try {
      // The holder's request is being read once a second body no longer fits.
      let refused: Response | null = null;
      for (let attempt = 0; attempt < 50 && refused === null; attempt++) {
        const r = await post(api, '/lim_items', rows(600 * KB));
        if (r.status === 503) refused = r;
        else assert.equal(r.status, 201, await r.text());
        holder.send(' '); // keeps the holder's body from stalling (whitespace within JSON)
      }
      assert.ok(refused, 'a body past the in-flight budget was refused');
      assert.equal(refused.headers.get('retry-after'), '2');
      const e = assertError({ status: refused.status, body: await refused.text() }, 503, 'PGRST191');
      assert.match(String(e.details), /server-max-body-total-bytes/);
    } finally {
      holder.socket.destroy();
    }
    // The holder went away mid-body: its share is given back.
    await holder.closed;
    let status = 0;
    for (let attempt = 0; attempt < 50 && status !== 201; attempt++) status = (await post(api, '/lim_items', rows(MB - 8 * KB))).status;
    assert.equal(status, 201);
  });

  it('a body that stalls is answered 408 after server-body-idle-timeout', async () => {
    const c = await rawConnect(api.url);
    const t0 = Date.now();
    c.send(requestHead(api.url, 'POST', '/lim_items', ['Content-Type: application/json', 'Content-Length: 100']));
    c.send('[{"t":');
    const e = assertError(await c.answer(), 408, 'PGRST102');
    const ms = Date.now() - t0;
    assert.ok(ms >= 1900 && ms < 8000, `answered after ${ms} ms`);
    assert.match(String(e.details), /server-body-idle-timeout/);
    await c.closed;
  });

  it('a body trickled at 5 bytes/s is answered 408 soon after the idle timeout (server-body-min-rate)', async () => {
    const c = await rawConnect(api.url);
    const t0 = Date.now();
    c.send(requestHead(api.url, 'POST', '/lim_items', ['Content-Type: application/json', 'Content-Length: 100000']));
    const trickle = setInterval(() => c.send(' '), 200);
    try {
      const e = assertError(await c.answer(), 408, 'PGRST102');
      const ms = Date.now() - t0;
      assert.ok(ms < 8000, `answered after ${ms} ms`);
      assert.match(String(e.details), /server-body-min-rate/);
    } finally {
      clearInterval(trickle);
    }
    await c.closed;
  });

  it('a GET whose body trickles is answered, then its connection is closed after the idle timeout', async () => {
    const c = await rawConnect(api.url);
    const t0 = Date.now();
    c.send(requestHead(api.url, 'GET', '/lim_items?limit=1', ['Content-Length: 100000']));
    const trickle = setInterval(() => c.send(' '), 200);
    try {
      assert.equal((await c.answer()).status, 200);
      await c.closed;
    } finally {
      clearInterval(trickle);
    }
    const ms = Date.now() - t0;
    assert.ok(ms >= 1900 && ms < 8000, `closed after ${ms} ms`);
  });

  it('requests on connections past server-max-connections get 503 and the connection closes', async () => {
    const open: RawConnection[] = [];
    let refused: RawAnswer | null = null;
    try {
      for (let i = 0; i < 30 && refused === null; i++) {
        const c = await rawConnect(api.url);
        open.push(c);
        c.send(requestHead(api.url, 'GET', '/lim_items?limit=1'));
        const a = await c.answer();
        if (a.status === 503) {
          refused = a;
          await c.closed;
        } else {
          assert.equal(a.status, 200, a.body);
        }
      }
      assert.ok(refused, 'a connection past the cap was refused');
      assert.ok(open.length <= 13, `refused only after ${open.length} connections`);
      assert.equal(refused.headers['retry-after'], '2');
      assert.equal(refused.headers.connection, 'close');
      assert.match(String(assertError(refused, 503, 'PGRST191').details), /server-max-connections/);
    } finally {
      for (const c of open) c.socket.destroy();
    }
    await Promise.all(open.map((c) => c.closed));
    // Once those are gone new connections are served again (the server sees the closes a little later).
    let status = 0;
    for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
      const c = await rawConnect(api.url);
      c.send(requestHead(api.url, 'GET', '/lim_items?limit=1', ['Connection: close']));
      status = (await c.answer()).status;
      c.socket.destroy();
    }
    assert.equal(status, 200);
  });

  it('a 1 MB token and a 100 kB URL get 431 PGRST190 as JSON, and the server keeps serving', async () => {
    const token = await api.fetch('/lim_items', { headers: { Authorization: `Bearer ${'a'.repeat(MB)}` } });
    assert.match(token.headers.get('content-type') ?? '', /application\/json/);
    assertError({ status: token.status, body: await token.text() }, 431, 'PGRST190');
    const url = await api.fetch(`/lim_items?t=eq.${'b'.repeat(100 * KB)}`);
    assertError({ status: url.status, body: await url.text() }, 431, 'PGRST190');
    assert.equal((await api.fetch('/lim_items?limit=1')).status, 200);
  });

  it('a malformed request gets 400 PGRST190 as JSON', async () => {
    const c = await rawConnect(api.url);
    c.send('GET /lim_items HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n');
    assertError(await c.answer(), 400, 'PGRST190');
    await c.closed;
  });

  it('JSON nested 100,000 deep gets 400 PGRST102 before the database (writes and RPC)', async () => {
    for (const [path, body] of [
      ['/lim_items', `[{"j":${nested(100_000)}}]`],
      ['/lim_items', nested(100_000)],
      ['/rpc/lim_echo', `{"j":${nested(100_000)}}`],
    ] as const) {
      const r = await post(api, path, body);
      const e = assertError({ status: r.status, body: await r.text() }, 400, 'PGRST102');
      assert.equal(e.message, 'Empty or invalid json');
      assert.equal(e.details, `JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
    }
  });
});

for (const kind of backendKinds().filter((k) => k !== 'pgbouncer')) {
  describe(`limits: JSON depth and memory (${kind}, default budgets)`, () => {
    let api: TestApi;
    before(async () => {
      api = await startTestApi(kind);
      await setup(api);
    });
    after(async () => {
      await api?.close();
    });

    it(`JSON nested ${MAX_JSON_DEPTH} deep (the limit) is stored; one level more is 400`, async () => {
      // The top-level array and the row object are two of the levels.
      const ok = await post(api, '/lim_items', `[{"t":"deep","j":${nested(MAX_JSON_DEPTH - 2)}}]`);
      assert.equal(ok.status, 201, await ok.text());
      const [row] = await api.sql(`SELECT json_typeof(j) AS t, length(j::text) AS n FROM api.lim_items WHERE t = 'deep'`);
      assert.deepEqual(row, { t: 'array', n: 2 * (MAX_JSON_DEPTH - 2) });
      const rpc = await post(api, '/rpc/lim_echo', `{"j":${nested(MAX_JSON_DEPTH - 1)}}`);
      assert.equal(rpc.status, 200, await rpc.text());
      const tooDeep = await post(api, '/lim_items', `[{"j":${nested(MAX_JSON_DEPTH - 1)}}]`);
      assertError({ status: tooDeep.status, body: await tooDeep.text() }, 400, 'PGRST102');
    });

    it('a 16 MB body is stored, peak RSS within a few times its size', async () => {
      const body = rows(16 * MB);
      const size = Buffer.byteLength(body);
      writeFileSync('/proc/self/clear_refs', '5'); // VmHWM := current RSS
      const rss = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) * KB;
      const before = rss('VmRSS');
      const r = await post(api, '/lim_items', body);
      assert.equal(r.status, 201, await r.text());
      const perByte = (rss('VmHWM') - before) / size;
      // This process holds the client's copy too. Server mode measured 3.4× for the server alone
      // (bench/body-memory.ts; 8.6× before bodies were scanned instead of parsed); the embedded
      // database grows its WebAssembly heap for the statement as well (~21×, never returned).
      const bound = kind === 'pglite' ? 30 : 6;
      assert.ok(perByte < bound, `peak RSS grew ${perByte.toFixed(1)}× the body (bound ${bound}×)`);
      const [count] = await api.sql(`SELECT count(*)::int AS n FROM api.lim_items WHERE t = '${'x'.repeat(90)}'`);
      assert.ok(Number(count?.n) > 100_000);
    });
  });
}
