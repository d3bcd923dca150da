// Issue 19's smaller gaps: the DDL tab prints GRANTs and the policies' roles, EXPLAIN runs land in
// the SQL history, and the highlighter knows every PostgreSQL keyword.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { adminKinds, startAdmin, type AdminFixture } from './helpers.js';
import { grantsDdl } from '../../src/admin/ddl.js';
import { keywords, tokenize } from '../../admin-ui/src/sql/highlight.js';
import { postgresKeywords } from '../../admin-ui/src/sql/keywords.js';

describe('DDL grants and the highlighter (pure)', () => {
  it('prints GRANTs, leaving out the owner and anything that is not a privilege list', () => {
    assert.equal(grantsDdl('api', 'todos', 'r', 'postgres', [
      { grantee: 'postgres', privileges: 'DELETE, INSERT, SELECT' }, { grantee: 'api_anon', privileges: 'INSERT, SELECT' },
      { grantee: 'PUBLIC', privileges: 'SELECT' }, { grantee: 'we"ird', privileges: 'SELECT; DROP TABLE x' }, { grantee: 'a"b', privileges: 'UPDATE' },
    ]), '\nGRANT INSERT, SELECT ON TABLE "api"."todos" TO "api_anon";\nGRANT SELECT ON TABLE "api"."todos" TO PUBLIC;\nGRANT UPDATE ON TABLE "api"."todos" TO "a""b";\n');
    assert.equal(grantsDdl('api', 's', 'S', 'o', [{ grantee: 'r', privileges: 'USAGE' }]), '\nGRANT USAGE ON SEQUENCE "api"."s" TO "r";\n');
    assert.equal(grantsDdl('api', 't', 'r', 'o', []), '');
  });

  it('highlights every keyword of pg_get_keywords(), in any case', () => {
    assert.ok(postgresKeywords.length > 450);
    for (const w of ['merge', 'matched', 'overriding', 'tablesample', 'materialized', 'concurrently', 'xmltable', 'json_table', 'generated', 'stored', 'identity']) {
      assert.ok(keywords.has(w), w);
    }
    const kinds = tokenize('MERGE INTO t USING s ON true WHEN MATCHED THEN DELETE').filter((t) => t.text.trim()).map((t) => `${t.kind}:${t.text}`);
    assert.deepEqual(kinds, ['kw:MERGE', 'kw:INTO', 'text:t', 'kw:USING', 'text:s', 'kw:ON', 'kw:true', 'kw:WHEN', 'kw:MATCHED', 'kw:THEN', 'kw:DELETE']);
  });
});

for (const kind of adminKinds()) {
  describe(`DDL tab and SQL history (${kind})`, () => {
    let f: AdminFixture;
    before(async () => { f = await startAdmin(kind); });
    after(async () => { await f?.close(); });

    it('shows the GRANTs and the policies with their roles', async () => {
      await f.api.sql('CREATE POLICY "everyone reads" ON api.todos FOR SELECT USING (true)');
      await f.api.sql('GRANT SELECT ON api.todos TO PUBLIC');
      const [t] = await f.api.sql("SELECT 'api.todos'::regclass::oid::int AS oid") as Array<{ oid: number }>;
      const d = await f.client.call<{ ddl: string }>('GET', `/api/catalog/relation?oid=${t!.oid}`);
      assert.match(d.ddl, /CREATE POLICY "Allow anonymous read" ON "api"\."todos" AS PERMISSIVE FOR SELECT TO "api_anon", "api_user" USING \(true\);/);
      assert.match(d.ddl, /CREATE POLICY "everyone reads" ON "api"\."todos" AS PERMISSIVE FOR SELECT TO PUBLIC USING \(true\);/);
      assert.match(d.ddl, /\nGRANT DELETE, INSERT, SELECT, UPDATE ON TABLE "api"\."todos" TO "api_anon";\n/);
      assert.match(d.ddl, /\nGRANT DELETE, INSERT, SELECT, UPDATE ON TABLE "api"\."todos" TO "api_user";\n/);
      assert.match(d.ddl, /\nGRANT SELECT ON TABLE "api"\."todos" TO PUBLIC;\n/);
      assert.doesNotMatch(d.ddl, /TO "postgres";/);
    });

    it('keeps EXPLAIN runs in the SQL history, failed ones too', async () => {
      await f.client.call('POST', '/api/sql/explain', { runId: 'h1', sql: 'SELECT count(*) FROM api.todos' });
      await f.client.call('POST', '/api/sql/explain', { runId: 'h2', sql: 'SELECT nope FROM api.todos' });
      const h = await f.client.call<Array<{ sql: string; ok: boolean; summary: string }>>('GET', '/api/sql/history?limit=5');
      assert.deepEqual(h.slice(0, 2).map((e) => [e.sql, e.ok]), [['EXPLAIN ANALYZE SELECT nope FROM api.todos', false], ['EXPLAIN ANALYZE SELECT count(*) FROM api.todos', true]]);
      assert.match(h[0]!.summary, /nope/);
    });
  });
}
