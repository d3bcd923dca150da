// The table designer's DDL as pure functions: the exact CREATE/ALTER text from a description,
// quoting of hostile names, types checked against a catalog, and bad descriptions refused.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderInline, type Sql } from '../../src/sql/sql.js';
import { parseTableSpec, type TableSpec } from '../../src/admin/designer/spec.js';
import { columnType, typeCatalog, type TypeEntry } from '../../src/admin/designer/types.js';
import { createTable } from '../../src/admin/designer/create.js';
import { alterTable } from '../../src/admin/designer/alter.js';
import { AdminError } from '../../src/admin/errors.js';
import { tagsSpec } from './designer-fixture.js';

const entry = (name: string, schema = 'pg_catalog', typname = name): TypeEntry => ({ name, schema, typname, kind: 'b', category: 'X' });
const types = typeCatalog([
  entry('bigint'), entry('integer'), entry('text'), entry('numeric'), entry('boolean'), entry('character varying'),
  entry('timestamp with time zone'), entry('public.mood', 'public', 'mood'), entry('uuid'),
]);
const text = (s: Sql[]) => s.map((x) => renderInline(x) + ';');


describe('designer DDL (pure)', () => {
  it('creates a table with its constraints, index, RLS, policy and grants, exactly', () => {
    assert.deepEqual(text(createTable(parseTableSpec(tagsSpec), types)), [
      'CREATE TABLE "api"."tags" (\n'
      + '  "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,\n'
      + '  "name" character varying(40) NOT NULL,\n'
      + '  "todo" uuid,\n'
      + '  "weight" numeric(6,2) DEFAULT (1.0),\n'
      + '  "label" text GENERATED ALWAYS AS (upper(name)) STORED,\n'
      + '  PRIMARY KEY ("id"),\n'
      + '  CONSTRAINT "tags_name_key" UNIQUE ("name"),\n'
      + '  CONSTRAINT "tags_weight_check" CHECK (weight > 0),\n'
      + '  FOREIGN KEY ("todo") REFERENCES "api"."todos" ("id") ON DELETE CASCADE\n'
      + ');',
      'CREATE INDEX "tags_todo_idx" ON "api"."tags" ("todo");',
      'ALTER TABLE "api"."tags" ENABLE ROW LEVEL SECURITY;',
      'CREATE POLICY "tags read" ON "api"."tags" AS PERMISSIVE FOR SELECT TO "api_anon" USING (true);',
      'GRANT SELECT ON "api"."tags" TO "api_anon";',
    ]);
  });

  it('quotes hostile names and never pastes them', () => {
    const spec = parseTableSpec({
      schema: 'x"; DROP TABLE y; --', name: 'a"b',
      columns: [{ name: 'c"); DROP TABLE z; --', type: 'text' }],
      indexes: [{ name: 'i"x', columns: ['c"); DROP TABLE z; --'], method: 'gin' }],
    });
    assert.deepEqual(text(createTable(spec, types)), [
      'CREATE TABLE "x""; DROP TABLE y; --"."a""b" (\n  "c""); DROP TABLE z; --" text\n);',
      'CREATE INDEX "i""x" ON "x""; DROP TABLE y; --"."a""b" USING gin ("c""); DROP TABLE z; --");',
    ]);
  });

  it('takes types from the catalog only: modifiers, arrays, schema types', () => {
    const t = (s: string) => renderInline(columnType(s, types));
    assert.equal(t('integer[]'), 'integer[]');
    assert.equal(t('character varying ( 20 ) [ ] []'), 'character varying(20)[][]');
    assert.equal(t('public.mood'), '"public"."mood"');
    assert.equal(t('public.mood[]'), '"public"."mood"[]');
    assert.equal(t('timestamp(3) with time zone'), 'timestamp(3) with time zone');
    for (const bad of ['int; DROP TABLE x', 'integer(a)', 'nosuchtype', 'text) --', '']) {
      assert.throws(() => columnType(bad, types), (e: unknown) => e instanceof AdminError && e.code === 'bad-type' && /pick one from the list/.test(e.message), bad);
    }
  });

  it('refuses bad descriptions with a message naming the field', () => {
    const bad = (v: unknown, re: RegExp) => assert.throws(() => parseTableSpec(v), (e: unknown) => e instanceof AdminError && e.status === 400 && re.test(e.message));
    bad(null, /table: must be an object/);
    bad({ schema: 'api', name: 't', columns: [] }, /at least one column/);
    bad({ schema: 'api', name: '', columns: [{ name: 'a', type: 'text' }] }, /name: must not be empty/);
    bad({ schema: 'api', name: 't', columns: [{ name: 'a', type: 'text' }, { name: 'a', type: 'text' }] }, /"a" appears twice/);
    bad({ schema: 'api', name: 't', columns: [{ name: 'a', type: 'text' }], primaryKey: { columns: ['b'] } }, /no column "b"/);
    bad({ schema: 'api', name: 't', columns: [{ name: 'a', type: 'text', default: '1', identity: 'always' }] }, /exclude each other/);
    bad({ schema: 'api', name: 't', columns: [{ name: 'a', type: 'text' }], foreignKeys: [{ columns: ['a'], refSchema: 'api', refTable: 'u', refColumns: [] }] }, /as many referenced columns/);
    bad({ schema: 'api', name: 't', columns: [{ name: 'a', type: 'text' }], foreignKeys: [{ columns: ['a'], refSchema: 'api', refTable: 'u', refColumns: ['id'], onDelete: 'EXPLODE' }] }, /onDelete: must be one of/);
    bad({ schema: 'api', name: 't', columns: [{ name: 'a', type: 'text' }], indexes: [{ columns: ['a'], method: 'magic' }] }, /method: must be one of/);
    bad({ schema: 'api', name: 'x'.repeat(64), columns: [{ name: 'a', type: 'text' }] }, /63-character/);
    bad({ schema: 'api', name: 't', columns: [{ name: 'a', type: 'text' }], grants: [{ role: 'r', privileges: ['ALL; DROP'] }] }, /must be one of/);
  });
});

const base: TableSpec = {
  schema: 'api', name: 'items', rls: false, policy: null, grants: [],
  columns: [
    { name: 'id', from: 'id', type: 'integer', nullable: false, default: null, identity: 'by-default', generated: null },
    { name: 'title', from: 'title', type: 'text', nullable: true, default: null, identity: null, generated: null },
    { name: 'old', from: 'old', type: 'text', nullable: true, default: "'x'::text", identity: null, generated: null },
  ],
  primaryKey: { name: 'items_pkey', columns: ['id'] },
  uniques: [{ name: 'items_title_key', columns: ['title'] }],
  checks: [{ name: 'items_title_check', expression: 'length(title) > 0' }],
  foreignKeys: [],
  indexes: [{ name: 'items_lower_idx', columns: [], unique: false, method: 'btree', definition: 'CREATE INDEX items_lower_idx ON api.items USING btree (lower(title))' }],
};

describe('designer alter diff (pure)', () => {
  it('produces nothing for an unchanged table', () => {
    assert.deepEqual(alterTable(base, parseTableSpec(JSON.parse(JSON.stringify(base))), types), []);
  });

  it('renames, retypes, drops and adds, keeping constraints that follow a renamed column', () => {
    const now = parseTableSpec({
      ...base, name: 'things',
      columns: [
        { ...base.columns[0], identity: 'always' },
        { name: 'heading', from: 'title', type: 'character varying(80)', nullable: false, default: "'untitled'" },
        { name: 'done', type: 'boolean', nullable: false, default: 'false' },
      ],
      uniques: [{ name: 'items_title_key', columns: ['heading'] }],
      checks: [],
      indexes: [{ name: 'things_done_idx', columns: ['done', 'heading'], unique: true }],
      foreignKeys: [{ name: 'things_id_fkey', columns: ['id'], refSchema: 'api', refTable: 'other', refColumns: ['id'], onUpdate: 'RESTRICT' }],
      rls: true,
    });
    assert.deepEqual(text(alterTable(base, now, types)), [
      'ALTER TABLE "api"."items" RENAME TO "things";',
      'ALTER TABLE "api"."things" DROP CONSTRAINT "items_title_check";',
      'DROP INDEX "api"."items_lower_idx";',
      'ALTER TABLE "api"."things" DROP COLUMN "old";',
      'ALTER TABLE "api"."things" RENAME COLUMN "title" TO "heading";',
      'ALTER TABLE "api"."things" ADD COLUMN "done" boolean DEFAULT (false) NOT NULL;',
      'ALTER TABLE "api"."things" ALTER COLUMN "id" SET GENERATED ALWAYS;',
      'ALTER TABLE "api"."things" ALTER COLUMN "heading" TYPE character varying(80) USING "heading"::character varying(80);',
      'ALTER TABLE "api"."things" ALTER COLUMN "heading" SET NOT NULL;',
      'ALTER TABLE "api"."things" ALTER COLUMN "heading" SET DEFAULT (\'untitled\');',
      'ALTER TABLE "api"."things" ADD CONSTRAINT "things_id_fkey" FOREIGN KEY ("id") REFERENCES "api"."other" ("id") ON UPDATE RESTRICT;',
      'CREATE UNIQUE INDEX "things_done_idx" ON "api"."things" ("done", "heading");',
      'ALTER TABLE "api"."things" ENABLE ROW LEVEL SECURITY;',
    ]);
  });

  it('drops and re-adds a changed primary key, drops identity and defaults', () => {
    const now = parseTableSpec({
      ...base,
      columns: [{ ...base.columns[0], identity: null }, base.columns[1], { ...base.columns[2], default: null }],
      primaryKey: { name: 'items_pkey', columns: ['id', 'title'] },
    });
    assert.deepEqual(text(alterTable(base, now, types)), [
      'ALTER TABLE "api"."items" DROP CONSTRAINT "items_pkey";',
      'ALTER TABLE "api"."items" ALTER COLUMN "id" DROP IDENTITY;',
      'ALTER TABLE "api"."items" ALTER COLUMN "old" DROP DEFAULT;',
      'ALTER TABLE "api"."items" ADD CONSTRAINT "items_pkey" PRIMARY KEY ("id", "title");',
    ]);
  });

  it('refuses changes it cannot express', () => {
    assert.throws(() => alterTable(base, parseTableSpec({ ...base, columns: [base.columns[0], { ...base.columns[1], generated: 'upper(old)' }, base.columns[2]] }), types), /cannot become generated/);
    assert.throws(() => alterTable(base, parseTableSpec({ ...base, indexes: [{ ...base.indexes[0], definition: 'CREATE INDEX x ON y (z)' }] }), types), /kept or dropped, not edited/);
    assert.throws(() => alterTable(base, parseTableSpec({ ...base, schema: 'other' }), types), /another schema/);
  });
});
