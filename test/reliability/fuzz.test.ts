// Grammar fuzzing of the API (fuzz-grammar.ts) on every backend: FUZZ_REQUESTS requests (default
// 20,000 in all, split across the backends) from FUZZ_SEED (default: random, printed). No answer may
// be a 5xx (except 503 PGRST191, a documented budget), a hang or a dropped connection; every error
// has PostgREST's shape; the private canary never leaks; the read tables never change.
// Reproduce one request: FUZZ_SEED=<seed> FUZZ_ONLY=<index>.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backendKinds, startTestApi, type BackendKind, type TestApi } from '../helpers/backends.js';
import { canarySecret, Grammar, readTablesChecksum, rng, type FuzzRequest } from './fuzz-grammar.js';

const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const kinds = backendKinds().filter((k) => k !== 'pgbouncer');
const total = Number(process.env.FUZZ_REQUESTS ?? 20_000);
const perBackend = Math.ceil(total / kinds.length);
const only = process.env.FUZZ_ONLY === undefined ? null : Number(process.env.FUZZ_ONLY);
const CLIENTS = 6;

/** Request `index` of the run: its own generator, so one request can be replayed alone. */
export function fuzzRequest(runSeed: number, index: number): FuzzRequest {
  const g = new Grammar(rng((runSeed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0));
  const req = g.request();
  return index % 4 === 3 ? g.mutate(req) : req;
}

interface Failure { readonly index: number; readonly req: FuzzRequest; readonly why: string }

async function check(api: TestApi, req: FuzzRequest): Promise<{ status: number; problem: string | null }> {
  let r: Response;
  try {
    r = await fetch(api.url + req.path, { method: req.method, headers: req.headers, body: req.body, signal: AbortSignal.timeout(60_000) });
  } catch (err) {
    // A URL fetch() itself refuses is not the server's fault.
    if (err instanceof TypeError && /Invalid URL|Failed to parse URL|invalid header|Header|ByteString/i.test(`${err.message} ${String((err as { cause?: unknown }).cause)}`)) return { status: 0, problem: null };
    return { status: 0, problem: `no answer: ${(err as Error).message} ${String((err as { cause?: unknown }).cause ?? '')}` };
  }
  const text = await r.text();
  if (text.includes(canarySecret)) return { status: r.status, problem: 'the private canary leaked' };
  if (r.status >= 500) {
    let code = '';
    try { code = (JSON.parse(text) as { code?: string }).code ?? ''; } catch { /* not JSON: a failure either way */ }
    if (!(r.status === 503 && code === 'PGRST191')) return { status: r.status, problem: `${r.status}: ${text.slice(0, 300)}` };
  }
  if (r.status >= 400 && req.method !== 'HEAD' && text !== '') {
    let e: Record<string, unknown> | null = null;
    try { e = JSON.parse(text) as Record<string, unknown>; } catch { /* checked below */ }
    if (e === null || typeof e.code !== 'string' || typeof e.message !== 'string' || !('details' in e) || !('hint' in e)) {
      return { status: r.status, problem: `error without PostgREST's shape: ${text.slice(0, 300)}` };
    }
  }
  return { status: r.status, problem: null };
}

const show = (f: Failure) => `#${f.index} ${f.req.method} ${f.req.path}\n    headers ${JSON.stringify(f.req.headers)}${f.req.body === undefined ? '' : `\n    body ${JSON.stringify(f.req.body.slice(0, 500))}`}\n    → ${f.why}`;

async function fuzz(kind: BackendKind, indexes: readonly number[]): Promise<void> {
  const api = await startTestApi(kind, { fixtures: ['fuzz.sql'] });
  try {
    const [{ sum: checksum } = { sum: null }] = await api.sql(readTablesChecksum);
    const failures: Failure[] = [];
    const classes = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < indexes.length && failures.length < 50) {
        const index = indexes[next++] as number;
        const req = fuzzRequest(seed, index);
        const { status, problem } = await check(api, req);
        classes.set(Math.floor(status / 100), (classes.get(Math.floor(status / 100)) ?? 0) + 1);
        if (problem !== null) failures.push({ index, req, why: problem });
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, worker));
    const summary = [...classes].sort().map(([c, n]) => `${c}xx: ${n}`).join(', ');
    console.log(`fuzz ${kind}: seed ${seed}, ${indexes.length} requests (${summary})`);
    if (failures.length > 0) {
      assert.fail(`${kind}: ${failures.length} failing request(s) — replay with FUZZ_SEED=${seed} FUZZ_ONLY=<#>:\n${failures.slice(0, 20).map(show).join('\n')}`);
    }
    if (only === null) assert.ok((classes.get(2) ?? 0) > indexes.length * 0.2, `${kind}: too few successful requests for the grammar to be testing much (${summary})`);
    // The server still answers, and the tables the fuzzer only reads are unchanged.
    assert.equal((await api.fetch('/fz_books?select=id&id=eq.1')).status, 200);
    assert.deepEqual((await api.sql(readTablesChecksum))[0]?.sum, checksum);
  } finally {
    await api.close();
  }
}

// The backends run side by side: the embedded one works in this process, the server in its own.
describe(`fuzz (${kinds.join(', ')})`, () => {
  it(`${only === null ? perBackend * kinds.length : kinds.length} generated requests: no 5xx, hang or leak (seed ${seed})`, async () => {
    await Promise.all(kinds.map((kind, k) =>
      fuzz(kind, only === null ? Array.from({ length: perBackend }, (_, i) => i + k * perBackend) : [only])));
  });
});
