// Injection matrix on every backend: each hostile string in every position a request has (names,
// aliases, casts, JSON paths, embeds and hints, filter keys, values and operators, logic trees,
// order, limit, on_conflict, columns, body keys and values, CSV headers, every header PeSquel
// reads, RPC argument names and values, paths). Each answer is data or a PostgREST-shaped 4xx,
// nothing sleeps, nothing leaks (the private canary, SQL text, stack traces), and the read tables
// and the catalog are unchanged.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backendKinds, startTestApi, type TestApi } from '../helpers/backends.js';
import { canarySecret, readTablesChecksum } from './fuzz-grammar.js';

const payloads = [
  "'", '"', '\\', "''", '""', ')', '(', ',', '.', ':', '::', '->>', '*', '%', '$$', '$x$', ';', '--', '/*', '*/',
  "'; DROP TABLE fz_private.canary; --",
  '"; DROP TABLE fz_private.canary; --',
  "1); DROP TABLE fz_private.canary; --",
  "x' OR '1'='1",
  '1 OR 1=1',
  "' UNION SELECT secret FROM fz_private.canary --",
  '(SELECT secret FROM fz_private.canary)',
  '"||(SELECT secret FROM fz_private.canary)||"',
  "'||pg_sleep(20)||'",
  '$$; SELECT pg_sleep(20); $$',
  "E'\\x27; DROP TABLE fz_private.canary; --'",
  'fz_private.canary',
  'id)::text; SELECT pg_sleep(20); --',
  "set_config('role','postgres',false)",
  'ʼ; DROP TABLE fz_private.canary; --',
  'x\u0000y',
  'x\ny; DROP TABLE fz_private.canary',
  '😀\'"',
  'a'.repeat(5000),
];

type Position = (p: string) => { path: string; init?: RequestInit } | null;
const e = encodeURIComponent;
const json = (method: string, body: string, headers: Record<string, string> = {}): RequestInit =>
  ({ method, headers: { 'Content-Type': 'application/json', Prefer: 'return=representation', ...headers }, body });
/** Header values must be Latin-1 without control characters: other payloads are not sendable there. */
const headerSafe = (p: string) => /^[\x20-\x7e]*$/.test(p);
const header = (path: string, name: string, value: (p: string) => string, method = 'GET'): Position =>
  (p) => (headerSafe(p) ? { path, init: { method, headers: { [name]: value(p), ...(method === 'GET' ? {} : { 'Content-Type': 'application/json' }) }, ...(method === 'GET' ? {} : { body: '{"b":"h"}' }) } } : null);

const positions: Readonly<Record<string, Position>> = {
  'select column': (p) => ({ path: `/fz_books?select=${e(p)}` }),
  'select quoted column': (p) => ({ path: `/fz_books?select=${e(`"${p.replace(/"/g, '\\"')}"`)}` }),
  'select alias': (p) => ({ path: `/fz_books?select=${e(`${p}:id`)}&limit=1` }),
  'select cast': (p) => ({ path: `/fz_books?select=${e(`id::${p}`)}&limit=1` }),
  'JSON path key': (p) => ({ path: `/fz_books?select=${e(`info->>${p}`)}&limit=1` }),
  'quoted JSON path key': (p) => ({ path: `/fz_books?select=${e(`info->"${p.replace(/"/g, '\\"')}"->>k`)}&limit=1` }),
  'JSON path in a filter': (p) => ({ path: `/fz_books?${e(`info->>${p}`)}=eq.1` }),
  'embed name': (p) => ({ path: `/fz_books?select=id,${e(p)}(id)&limit=1` }),
  'embed hint': (p) => ({ path: `/fz_books?select=id,fz_authors!${e(p)}(id)&limit=1` }),
  'filter column': (p) => ({ path: `/fz_books?${e(p)}=eq.1` }),
  'filter value': (p) => ({ path: `/fz_books?title=eq.${e(p)}` }),
  'quoted filter value': (p) => ({ path: `/fz_books?title=eq.${e(`"${p.replace(/"/g, '\\"')}"`)}` }),
  'in-list value': (p) => ({ path: `/fz_books?title=in.(${e(p)},x)` }),
  'like value': (p) => ({ path: `/fz_books?title=like.*${e(p)}*` }),
  'fts value': (p) => ({ path: `/fz_books?doc=fts.${e(p)}` }),
  'fts language': (p) => ({ path: `/fz_books?doc=fts(${e(p)}).cats` }),
  'array value': (p) => ({ path: `/fz_authors?tags=cs.${e(`{${p}}`)}` }),
  'integer value': (p) => ({ path: `/fz_books?id=eq.${e(p)}` }),
  'operator': (p) => ({ path: `/fz_books?id=${e(p)}.1` }),
  'negated operator': (p) => ({ path: `/fz_books?id=not.${e(p)}.1` }),
  'logic tree value': (p) => ({ path: `/fz_books?or=${e(`(title.eq.${p},id.eq.1)`)}` }),
  'logic tree term': (p) => ({ path: `/fz_books?or=${e(`(${p})`)}` }),
  'order term': (p) => ({ path: `/fz_books?order=${e(p)}` }),
  'order direction': (p) => ({ path: `/fz_books?order=${e(`title.${p}`)}` }),
  'embedded order': (p) => ({ path: `/fz_books?select=id,fz_reviews(id)&fz_reviews.order=${e(p)}&limit=1` }),
  'limit': (p) => ({ path: `/fz_books?limit=${e(p)}` }),
  'offset': (p) => ({ path: `/fz_books?offset=${e(p)}` }),
  'on_conflict': (p) => ({ path: `/fz_scratch?on_conflict=${e(p)}`, init: json('POST', '{"b":"x"}', { Prefer: 'resolution=merge-duplicates' }) }),
  'columns': (p) => ({ path: `/fz_scratch?columns=${e(p)}`, init: json('POST', '{"b":"x"}') }),
  'body key': (p) => ({ path: '/fz_scratch', init: json('POST', JSON.stringify({ [p]: 1 })) }),
  'body value': (p) => ({ path: '/fz_scratch', init: json('POST', JSON.stringify({ b: p, c: { [p]: p } })) }),
  'bulk body value': (p) => ({ path: '/fz_scratch', init: json('POST', JSON.stringify([{ b: p }, { b: 'y' }])) }),
  'PATCH filter': (p) => ({ path: `/fz_scratch?b=eq.${e(p)}`, init: json('PATCH', '{"a":1}') }),
  'DELETE filter': (p) => ({ path: `/fz_scratch?b=eq.${e(p)}`, init: { method: 'DELETE' } }),
  'CSV header': (p) => ({ path: '/fz_scratch', init: { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body: `"${p.replace(/"/g, '""')}",b\n1,x` } }),
  'CSV value': (p) => ({ path: '/fz_scratch', init: { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body: `b\n"${p.replace(/"/g, '""')}"` } }),
  'form value': (p) => ({ path: '/fz_scratch', init: { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `b=${e(p)}` } }),
  'Prefer return': header('/fz_books?limit=1', 'Prefer', (p) => `return=${p}`),
  'Prefer timezone': header('/fz_books?limit=1', 'Prefer', (p) => `timezone=${p}`),
  'Prefer strict': header('/fz_books?limit=1', 'Prefer', (p) => `handling=strict, ${p}`),
  'Accept': header('/fz_books?limit=1', 'Accept', (p) => p),
  'Accept-Profile': header('/fz_books?limit=1', 'Accept-Profile', (p) => p),
  'Content-Profile': header('/fz_scratch', 'Content-Profile', (p) => p, 'POST'),
  'Range': header('/fz_books', 'Range', (p) => `0-${p}`),
  'custom header (request.headers)': header('/fz_books?limit=1', 'X-Hostile', (p) => p),
  'cookie (request.cookies)': header('/fz_books?limit=1', 'Cookie', (p) => `k=${p}`),
  'Authorization': header('/fz_books?limit=1', 'Authorization', (p) => `Bearer ${p}`),
  'RPC argument value (GET)': (p) => ({ path: `/rpc/fz_search?q=${e(p)}` }),
  'RPC integer argument (GET)': (p) => ({ path: `/rpc/fz_add?a=${e(p)}&b=1` }),
  'RPC argument name (GET)': (p) => ({ path: `/rpc/fz_add?${e(p)}=1&a=1` }),
  'RPC argument value (POST)': (p) => ({ path: '/rpc/fz_echo', init: json('POST', JSON.stringify({ j: p })) }),
  'RPC argument name (POST)': (p) => ({ path: '/rpc/fz_add', init: json('POST', JSON.stringify({ a: 1, [p]: 2 })) }),
  'RPC function name': (p) => ({ path: `/rpc/${e(p)}` }),
  'relation name': (p) => ({ path: `/${e(p)}` }),
};

/** What a leak would look like: the canary, generated SQL, a stack trace, a file path. */
const leaks = new RegExp(`${canarySecret}|pgrst_source|pgrst_page|\\bFROM "api"|\\n\\s+at |\\.ts:\\d+|node_modules|/work/|/src/`);

const catalog = `SELECT count(*)::int AS n, md5(string_agg(c.relname, ',' ORDER BY c.relname)) AS names FROM pg_class c
  WHERE c.relnamespace IN ('api'::regnamespace, 'fz_private'::regnamespace)`;

for (const kind of backendKinds().filter((k) => k !== 'pgbouncer')) {
  describe(`injection matrix (${kind})`, () => {
    let api: TestApi;
    let before0: { tables: unknown; catalog: unknown; roles: unknown };
    const snapshot = async () => ({
      tables: (await api.sql(readTablesChecksum))[0]?.sum,
      catalog: (await api.sql(catalog))[0],
      roles: (await api.sql('SELECT md5(string_agg(rolname || rolsuper::text, \',\' ORDER BY rolname)) AS r FROM pg_roles'))[0]?.r,
    });
    before(async () => {
      api = await startTestApi(kind, { fixtures: ['fuzz.sql'] });
      before0 = await snapshot();
    });
    after(async () => {
      await api?.close();
    });

    it(`${payloads.length} payloads × ${Object.keys(positions).length} positions: data or a clean 4xx, no sleep, no leak`, async () => {
      const problems: string[] = [];
      const jobs: Array<() => Promise<void>> = [];
      for (const [where, position] of Object.entries(positions)) {
        for (const p of payloads) {
          const req = position(p);
          if (req === null) continue;
          jobs.push(async () => {
            const started = Date.now();
            const label = `${where} ← ${JSON.stringify(p.slice(0, 60))}`;
            let r: Response;
            try {
              r = await api.fetch(req.path, req.init);
            } catch (err) {
              problems.push(`${label}: no answer (${(err as Error).message})`);
              return;
            }
            const text = await r.text();
            const ms = Date.now() - started;
            if (r.status >= 500) problems.push(`${label}: ${r.status} ${text.slice(0, 200)}`);
            else if (leaks.test(text)) problems.push(`${label}: leaked ${text.slice(0, 300)}`);
            else if (ms > 10_000) problems.push(`${label}: took ${ms} ms (did something sleep?)`);
            else if (r.status >= 400 && text !== '') {
              const err = JSON.parse(text) as Record<string, unknown>;
              if (typeof err.code !== 'string' || typeof err.message !== 'string') problems.push(`${label}: ${r.status} without PostgREST's shape: ${text.slice(0, 200)}`);
            }
          });
        }
      }
      let next = 0;
      await Promise.all(Array.from({ length: 6 }, async () => {
        while (next < jobs.length) await (jobs[next++] as () => Promise<void>)();
      }));
      assert.deepEqual(problems, []);
      assert.ok(jobs.length > 1000, `${jobs.length} requests`);
    });

    it('the read tables, the catalog and the roles are unchanged', async () => {
      assert.deepEqual(await snapshot(), before0);
      const [canary] = await api.sql('SELECT secret FROM fz_private.canary WHERE id = 1');
      assert.equal(canary?.secret, canarySecret);
    });
  });
}
