// The table designer's API on each backend: the previewed DDL runs in one transaction and the
// REST API serves the new table after the reload; an existing table reads back, alters by diff;
// a change saved as a migration file is applied by `pesquel migrate`; bad input → 400.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminKinds, startAdmin, type AdminFixture } from './helpers.js';
import { pesquel } from '../ops/cli.js';
import { tagsSpec } from './designer-fixture.js';

type Json = Record<string, unknown>;
type Spec = Json & { columns: Json[] };

for (const kind of adminKinds()) {
  describe(`table designer (${kind})`, () => {
    let f: AdminFixture;
    let dir: string;
    before(async () => {
      f = await startAdmin(kind);
      dir = mkdtempSync(join(tmpdir(), 'pesquel-designer-mig-'));
    });
    after(async () => {
      await f?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('lists types from pg_type: built-ins, enums and domains, no arrays or pseudo-types', async () => {
      await f.api.sql("CREATE TYPE api.mood AS ENUM ('ok', 'meh')");
      await f.api.sql('CREATE DOMAIN api.positive AS integer CHECK (VALUE > 0)');
      const types = await f.client.call<Array<{ name: string; kind: string }>>('GET', '/api/designer/types');
      const names = new Set(types.map((t) => t.name));
      for (const t of ['integer', 'text', 'timestamp with time zone', 'jsonb', 'uuid', 'api.mood', 'api.positive']) assert.ok(names.has(t), t);
      for (const t of ['_int4', 'integer[]', 'anyelement', 'record', 'api.todos']) assert.ok(!names.has(t), t);
    });

    it('previews the exact DDL, applies it in one transaction and the API serves the table', async () => {
      const preview = await f.client.call<{ sql: string[] }>('POST', '/api/designer/preview', { base: null, table: tagsSpec });
      assert.equal(preview.sql.length, 5);
      assert.match(preview.sql[0] ?? '', /^CREATE TABLE "api"\."tags" \(/);
      assert.equal((await fetch(`${f.api.url}/tags`)).status, 404);
      const applied = await f.client.call<{ sql: string[] }>('POST', '/api/designer/apply', { base: null, table: tagsSpec });
      assert.deepEqual(applied.sql, preview.sql);
      const r = await fetch(`${f.api.url}/tags`);
      assert.equal(r.status, 200);
      assert.deepEqual(await r.json(), []);
      const audit = await f.client.call<{ entries: Array<{ action: string; sql: string }> }>('GET', '/api/audit?action=designer.apply');
      assert.equal(audit.entries[0]?.sql, preview.sql.join('\n'));
    });

    it('serves the ER diagram data: tables with key columns, views, and foreign keys', async () => {
      await f.api.sql('CREATE VIEW api.tag_names AS SELECT name FROM api.tags');
      const er = await f.client.call<{ nodes: Array<{ name: string; kind: string; columns: Array<[string, string, boolean]> }>; edges: Array<Record<string, unknown>> }>('GET', '/api/er?schema=api');
      const tags = er.nodes.find((n) => n.name === 'tags');
      assert.deepEqual(tags?.columns.slice(0, 2), [['id', 'bigint', true], ['name', 'character varying(40)', false]]);
      assert.equal(er.nodes.find((n) => n.name === 'tag_names')?.kind, 'v');
      assert.deepEqual(er.edges.filter((e) => e.source === 'tags'), [{ name: 'tags_todo_fkey', source: 'tags', targetSchema: 'api', target: 'todos', columns: ['todo'] }]);
      await f.api.sql('DROP VIEW api.tag_names');
    });

    it('rolls the whole change back when one statement fails', async () => {
      const bad = { ...tagsSpec, name: 'half', uniques: [], checks: [], indexes: [], policy: null, foreignKeys: [{ columns: ['todo'], refSchema: 'api', refTable: 'no_such_table', refColumns: ['id'] }] };
      const r = await f.client.fetch('/api/designer/apply', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ base: null, table: bad }) });
      assert.equal(r.status, 400);
      assert.match(await r.text(), /no_such_table/);
      assert.deepEqual(await f.api.sql("SELECT to_regclass('api.half')::text AS t"), [{ t: null }]);
    });

    it('reads a table back, refuses a no-op and alters by diff', async () => {
      const spec = await f.client.call<Spec>('GET', '/api/designer/table?schema=api&name=tags');
      assert.deepEqual(spec.primaryKey, { name: 'tags_pkey', columns: ['id'] });
      assert.deepEqual((spec.columns as Json[]).map((c) => [c.name, c.type, c.identity]), [
        ['id', 'bigint', 'always'], ['name', 'character varying(40)', null], ['todo', 'uuid', null], ['weight', 'numeric(6,2)', null], ['label', 'text', null],
      ]);
      const same = await f.client.fetch('/api/designer/preview', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ base: { schema: 'api', name: 'tags' }, table: spec }) });
      assert.equal(same.status, 400);
      assert.match(await same.text(), /nothing to change/);
      const edited = {
        ...spec,
        columns: [...spec.columns.map((c) => (c.name === 'name' ? { ...c, name: 'title' } : c.name === 'weight' ? { ...c, default: '2.5' } : c)), { name: 'mood', type: 'api.mood[]', nullable: true }],
        uniques: [{ name: 'tags_name_key', columns: ['title'] }],
        indexes: [],
      };
      const applied = await f.client.call<{ sql: string[] }>('POST', '/api/designer/apply', { base: { schema: 'api', name: 'tags' }, table: edited });
      assert.deepEqual(applied.sql, [
        'DROP INDEX "api"."tags_todo_idx";',
        'ALTER TABLE "api"."tags" RENAME COLUMN "name" TO "title";',
        'ALTER TABLE "api"."tags" ADD COLUMN "mood" "api"."mood"[];',
        'ALTER TABLE "api"."tags" ALTER COLUMN "weight" SET DEFAULT (2.5);',
      ]);
      const after = await f.client.call<Spec>('GET', '/api/designer/table?schema=api&name=tags');
      assert.deepEqual(after.uniques, [{ name: 'tags_name_key', columns: ['title'] }]);
      assert.equal(after.columns.find((c) => c.name === 'mood')?.type, 'api.mood[]');
      assert.equal((await fetch(`${f.api.url}/tags?select=title,mood`)).status, 200);
    });

    it('saves a change as a migration that pesquel migrate applies, never overwriting a file', async () => {
      const migrations = join(dir, 'migrations');
      const designer = { ...f.adminConfig, migrationsDir: migrations };
      const { startAdminUi } = await import('../../src/admin/server.js');
      const { createLogger } = await import('../../src/observability/logger.js');
      const { adminClient, signIn } = await import('./helpers.js');
      const ui = await startAdminUi({ config: designer, db: f.api.running.db, apiUrl: f.api.url, logger: createLogger('error'), reloadSchema: () => f.api.reload(), port: 0, host: '127.0.0.1' });
      try {
        const c = adminClient(ui.url);
        await signIn(c);
        const table = { schema: 'api', name: 'labels', columns: [{ name: 'id', type: 'integer', nullable: false }], primaryKey: { columns: ['id'] } };
        const saved = await c.call<{ file: string; sql: string[] }>('POST', '/api/designer/migration', { base: null, table, migration: 'Add labels' });
        assert.match(saved.file, /\d{14}_add_labels\.sql$/);
        assert.match(readFileSync(saved.file, 'utf8'), /CREATE TABLE "api"\."labels" \(\n {2}"id" integer NOT NULL,\n {2}PRIMARY KEY \("id"\)\n\);\n$/);
        assert.deepEqual(await f.api.sql("SELECT to_regclass('api.labels')::text AS t"), [{ t: null }]);
        const second = await c.call<{ file: string }>('POST', '/api/designer/migration', { base: null, table: { ...table, name: 'labels2' }, migration: 'Add labels' });
        assert.notEqual(second.file, saved.file);
        assert.equal(readdirSync(migrations).length, 2);
        // `pesquel migrate` itself, from the project folder (migrations-dir defaults to ./migrations):
        // through the running server's control endpoint on the embedded database, as the owner on PostgreSQL.
        const args = kind === 'pglite' ? ['migrate', '--data-dir', f.api.config.dataDir] : ['migrate', '--db-url', f.adminConfig.adminDbUri as string];
        const run = await pesquel(args, { cwd: dir });
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /add_labels/);
        assert.deepEqual(await f.api.sql("SELECT to_regclass('api.labels')::text AS t"), [{ t: 'api.labels' }]);
      } finally {
        await ui.close();
      }
    });

    it('answers bad input with a clear 400', async () => {
      const post = async (body: unknown) => {
        const r = await f.client.fetch('/api/designer/preview', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
        return { status: r.status, text: await r.text() };
      };
      const t = (extra: Json) => ({ base: null, table: { schema: 'api', name: 'x', columns: [{ name: 'a', type: 'text' }], ...extra } });
      assert.deepEqual(await post(t({ columns: [{ name: 'a', type: 'text; DROP TABLE api.todos' }] })).then((r) => r.status), 400);
      assert.match((await post(t({ columns: [{ name: 'a', type: 'nosuch' }] }))).text, /unknown type .*nosuch/);
      assert.match((await post({ base: { schema: 'api', name: 'nope' }, table: t({}).table })).text, /no table api\.nope/);
      assert.match((await post({ base: 'x', table: t({}).table })).text, /base:/);
      assert.match((await post(t({ checks: [{ expression: '' }] }))).text, /needs an expression/);
    });
  });
}
