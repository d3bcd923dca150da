// A request as a pipeline (PostgreSQL): the exact statements and their bound values, names in the
// text and every value a parameter (so PostgreSQL's log never shows one), in PostgREST's order.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { requestPipeline, requestScript } from '../../src/db/request-script.js';
import { param, sql, unsafeRaw, UnsafeIdentifierError } from '../../src/sql/sql.js';
import type { RequestTx, TxSettings } from '../../src/db/types.js';

const shared = Object.freeze([['role', 'web'], ['search_path', '"api", "public"'], ['request.jwt.claims', '{"sub":"o\'brien"}']] as const);
const settings = (): TxSettings => ({ shared, own: [['request.headers', '{"authorization":"Bearer t0k3n"}'], ['request.cookies', '{"s":"c00k1e"}']] });
const tx = (over: Partial<RequestTx> = {}): RequestTx => ({
  readOnly: true, settings: settings(), before: [], main: sql`SELECT * FROM t WHERE a = ${param('x')} AND b = ${param(null)}`, end: 'commit', ...over,
});

describe('request pipeline', () => {
  it('binds every setting and value, numbering each statement from $1', () => {
    const p = requestPipeline(tx());
    assert.deepEqual(p.script, [
      { text: 'BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY', values: [], rows: false },
      {
        text: `SELECT set_config('role', $1, true), set_config('search_path', $2, true), set_config('request.jwt.claims', $3, true), `
          + `set_config('request.headers', $4, true), set_config('request.cookies', $5, true)`,
        values: ['web', '"api", "public"', '{"sub":"o\'brien"}', '{"authorization":"Bearer t0k3n"}', '{"s":"c00k1e"}'],
        rows: false,
      },
      { text: 'SELECT * FROM t WHERE a = $1 AND b = $2', values: ['x', null] },
      { text: 'COMMIT', values: [], rows: false },
    ]);
    assert.equal(p.mainIndex, 2);
    assert.equal(p.beforeIndex, 2);
    assert.equal(p.endsInline, true);
    for (const st of p.script) assert.ok(!/t0k3n|c00k1e|o'brien/.test(st.text), st.text);
  });

  it('puts before-statements first and leaves a decided end to the caller', () => {
    const p = requestPipeline(tx({ readOnly: false, before: [sql`SELECT pre(${param('y')})`], end: () => 'commit' }));
    assert.deepEqual(p.script.map((s) => s.text), [
      'BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE', p.script[1]?.text, 'SELECT pre($1)', 'SELECT * FROM t WHERE a = $1 AND b = $2',
    ]);
    assert.deepEqual([p.beforeIndex, p.mainIndex, p.endsInline], [2, 3, false]);
  });

  it('renders a shared user once, and the same statement for a per-request one', () => {
    const a = requestPipeline(tx()).script[1];
    const b = requestPipeline(tx({ settings: { shared: shared.map((x) => x), own: settings().own } })).script[1];
    assert.deepEqual(a, b);
  });

  it('refuses a NUL in a value, as the inline literals do', () => {
    assert.throws(() => requestPipeline(tx({ main: sql`SELECT ${param('a\0b')}` })), UnsafeIdentifierError);
    assert.throws(() => requestScript(tx({ main: sql`SELECT ${param('a\0b')}` })), UnsafeIdentifierError);
    assert.throws(() => requestPipeline(tx({ settings: { shared: [], own: [['request.path', '/a\0']] } })), UnsafeIdentifierError);
  });

  it('keeps the inline script for PGlite: the same statements with literals', () => {
    const s = requestScript(tx({ main: unsafeRaw('SELECT 1') }));
    assert.ok(s.script.startsWith(`BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;\nSELECT set_config('role', 'web', true), `), s.script);
    assert.ok(s.script.endsWith(`set_config('request.cookies', '{"s":"c00k1e"}', true);\nSELECT 1;\nCOMMIT`), s.script);
  });
});
