// The one SQL builder: nested fragments flatten in order, literals follow PQescapeLiteral's rule,
// and a compiled statement with a slot is rendered once and bound per request.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { empty, ident, join, param, render, renderInline, slot, sql } from '../../src/sql/sql.js';

describe('SQL builder', () => {
  const inner = sql`${ident('a"b')} = ${param('x')}`;
  const outer = sql`SELECT ${join([param(1), inner, param(null)])} FROM ${ident('t')}`;

  it('numbers $n in order through nested fragments', () => {
    assert.deepEqual(render(outer), { text: 'SELECT $1, "a""b" = $2, $3 FROM "t"', values: ['1', 'x', null] });
  });
  it('inlines literals, with E\'\' when a backslash occurs, and refuses NUL', () => {
    assert.equal(renderInline(outer), `SELECT '1', "a""b" = 'x', NULL FROM "t"`);
    assert.equal(renderInline(sql`SELECT ${param("it's \\ here")}`), `SELECT  E'it''s \\\\ here'`);
    assert.throws(() => renderInline(sql`SELECT ${param('a\0b')}`), /NUL/);
  });
  it('an empty fragment stays empty when nested', () => {
    assert.ok(sql`${empty}${empty}`.isEmpty);
    assert.ok(!sql`${empty} `.isEmpty);
  });
  it('binds a slot per request and refuses to render it unbound', () => {
    const payload = slot();
    const template = sql`WITH p AS (SELECT ${payload}::json AS v) SELECT ${param('k')}, (SELECT v FROM p)`;
    assert.throws(() => renderInline(template), /open slot/);
    assert.equal(renderInline(template.bind(payload, '[{"a":1}]')), `WITH p AS (SELECT '[{"a":1}]'::json AS v) SELECT 'k', (SELECT v FROM p)`);
    assert.equal(renderInline(template.bind(payload, "[{\"a\":\"'\\\\\"}]")), `WITH p AS (SELECT  E'[{"a":"''\\\\\\\\"}]'::json AS v) SELECT 'k', (SELECT v FROM p)`);
    assert.deepEqual(render(template.bind(payload, null)), { text: 'WITH p AS (SELECT $1::json AS v) SELECT \'k\', (SELECT v FROM p)', values: [null] });
  });
});
