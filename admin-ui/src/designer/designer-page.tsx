// The table designer: a new table (#/designer/<schema>) or an existing one (#/designer/<schema>/<table>)
// edited as a description; the server turns it into the exact DDL, shown before it is applied in
// one transaction or saved as a migration file.
import { useEffect, useRef, useState } from 'preact/hooks';
import { get, post, q } from '../api';
import { ErrorBox, errorOf } from '../ui/widgets';
import { HighlightedSql } from '../sql/highlighted';
import { blankTable, type TableSpec } from './model';
import { ColumnsEditor } from './columns-editor';
import { ConstraintsEditor, type Target } from './constraints-editor';
import { SecurityEditor } from './security-editor';

interface Place { schema: string; table: string | null }

function placeOf(fallback: string): Place {
  const [, , schema, table] = location.hash.split('/').map((s) => decodeURIComponent(s));
  return { schema: schema || fallback, table: table || null };
}
const go = (schema: string, table: string | null) => { location.hash = `#/designer/${encodeURIComponent(schema)}${table ? `/${encodeURIComponent(table)}` : ''}`; };

export function DesignerPage({ defaultSchema }: { defaultSchema: string }) {
  const [place, setPlace] = useState<Place>(placeOf(defaultSchema));
  const [schemas, setSchemas] = useState<string[]>([]);
  const [tables, setTables] = useState<string[]>([]);
  const [types, setTypes] = useState<string[]>([]);
  const [targets, setTargets] = useState<Target[]>([]);
  const [roles, setRoles] = useState<string[]>([]);
  const [spec, setSpec] = useState<TableSpec | null>(place.table ? null : blankTable(place.schema));
  const [preview, setPreview] = useState<string[] | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [migration, setMigration] = useState('');
  const [error, setError] = useState<unknown>(null);
  // The place whose table the form holds: a new table's blank form is not reset after the first render.
  const shown = useRef(place.table ? '' : `${place.schema}/`);

  useEffect(() => {
    const onHash = () => setPlace(placeOf(defaultSchema));
    addEventListener('hashchange', onHash);
    void get<Array<{ name: string }>>('/api/catalog/schemas').then((s) => setSchemas(s.map((x) => x.name)), setError);
    void get<Array<{ name: string }>>('/api/designer/types').then((t) => setTypes(t.map((x) => x.name)), setError);
    void get<Target[]>('/api/catalog/completion').then(setTargets, setError);
    void get<Array<{ name: string }>>('/api/security/roles').then((r) => setRoles(r.map((x) => x.name)), setError);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    void get<Array<{ name: string; kind: string }>>(`/api/catalog/objects?${q({ schema: place.schema })}`)
      .then((o) => setTables(o.filter((x) => x.kind === 'table').map((x) => x.name)), setError);
  }, [place.schema]);
  useEffect(() => {
    const key = `${place.schema}/${place.table ?? ''}`;
    if (shown.current === key) return;
    shown.current = key;
    setPreview(null);
    setError(null);
    if (!place.table) setSpec(blankTable(place.schema));
    else {
      setSpec(null);
      void get<TableSpec>(`/api/designer/table?${q({ schema: place.schema, name: place.table })}`).then(setSpec, setError);
    }
  }, [place.schema, place.table]);

  const change = () => ({ base: place.table ? { schema: place.schema, name: place.table } : null, table: spec });
  // Edits are functions of the latest table: two quick edits never start from the same stale copy.
  const edit = (fn: (t: TableSpec) => TableSpec) => { setSpec((t) => (t ? fn(t) : t)); setPreview(null); setDone(null); };
  const run = async (what: () => Promise<void>) => {
    setError(null);
    try { await what(); } catch (e) { setError(e); }
  };
  const showDdl = () => run(async () => { setPreview((await post<{ sql: string[] }>('/api/designer/preview', change())).sql); });
  const apply = () => run(async () => {
    await post('/api/designer/apply', change());
    setDone(`Applied in one transaction; the API reloaded its schema.`);
    if (spec && (place.table !== spec.name)) go(spec.schema, spec.name);
    else if (spec) setSpec(await get<TableSpec>(`/api/designer/table?${q({ schema: spec.schema, name: spec.name })}`));
    setPreview(null);
  });
  const save = () => run(async () => {
    const r = await post<{ file: string }>('/api/designer/migration', { ...change(), migration: migration || undefined });
    setDone(`Saved as ${r.file}: \`pesquel migrate\` applies it.`);
  });

  return (
    <div class="designer">
      <div class="toolbar">
        <label>Schema <select aria-label="designer schema" value={place.schema} onChange={(e) => go(e.currentTarget.value, null)}>
          {[...new Set([place.schema, ...schemas])].map((s) => <option key={s}>{s}</option>)}
        </select></label>
        <label>Table <select aria-label="designer table" value={place.table ?? ''} onChange={(e) => go(place.schema, e.currentTarget.value || null)}>
          <option value="">(new table)</option>
          {tables.map((t) => <option key={t}>{t}</option>)}
        </select></label>
      </div>
      <ErrorBox error={error ? errorOf(error) : null} />
      {!spec ? <p class="muted">Loading…</p> : (
        <form class="designer-form" onSubmit={(e) => { e.preventDefault(); void showDdl(); }}>
          <label class="field"><span>Table name</span>
            <input aria-label="table name" value={spec.name} onInput={(e) => { const name = e.currentTarget.value; edit((t) => ({ ...t, name })); }} />
          </label>
          <ColumnsEditor table={spec} types={types} onChange={edit} />
          <ConstraintsEditor table={spec} targets={targets} onChange={edit} />
          <SecurityEditor table={spec} roles={roles} onChange={edit} />
          <div class="buttons"><button type="submit" class="primary">Preview DDL</button></div>
        </form>
      )}
      {preview && (
        <section class="designer-preview" aria-label="DDL preview">
          <h3>The DDL that will run, in one transaction</h3>
          <HighlightedSql sql={preview.join('\n\n')} />
          <div class="buttons">
            <button class="primary" onClick={() => void apply()}>Apply</button>
            <input aria-label="migration name" placeholder="migration name (optional)" value={migration} onInput={(e) => setMigration(e.currentTarget.value)} />
            <button onClick={() => void save()}>Save as migration</button>
          </div>
        </section>
      )}
      {done && <div class="notice" role="status">{done}</div>}
    </div>
  );
}
