// The object browser: a tree of schemas and their objects on the left, the selected object on
// the right. The selection lives in the URL hash (#/browse/rel/<oid>), so a reload keeps it.
import { useEffect, useState } from 'preact/hooks';
import { get, q } from '../api';
import { ErrorBox, ObjectTable, errorOf } from '../ui/widgets';
import { RelationView } from './relation-view';
import { FunctionView } from './function-view';

interface SchemaRow { oid: string; name: string; system: string; relations: string }
export interface ObjectRow { oid: string; name: string; kind: string; signature: string | null; comment: string | null }

const kindLabels: Record<string, string> = {
  table: 'Tables', view: 'Views', matview: 'Materialized views', foreign_table: 'Foreign tables',
  sequence: 'Sequences', function: 'Functions', procedure: 'Procedures', aggregate: 'Aggregates',
};
const relationKinds = ['table', 'view', 'matview', 'foreign_table', 'sequence'];

type Selection = { kind: 'rel' | 'fn'; oid: string } | { kind: 'extensions' } | null;

function selectionOf(): Selection {
  const [, , kind, oid] = location.hash.split('/');
  if (kind === 'extensions') return { kind: 'extensions' };
  if ((kind === 'rel' || kind === 'fn') && oid) return { kind, oid };
  return null;
}

function SchemaNode({ schema, open, onToggle, selected }: { schema: SchemaRow; open: boolean; onToggle: () => void; selected: Selection }) {
  const [objects, setObjects] = useState<ObjectRow[] | null>(null);
  useEffect(() => {
    if (open && !objects) void get<ObjectRow[]>(`/api/catalog/objects?${q({ schema: schema.name })}`).then(setObjects);
  }, [open]);
  const groups = Object.keys(kindLabels).map((k) => [k, (objects ?? []).filter((o) => o.kind === k)] as const).filter(([, l]) => l.length > 0);
  return (
    <li>
      <button class="tree-item schema" aria-expanded={open} onClick={onToggle}>{open ? '▾' : '▸'} {schema.name}</button>
      {open && (
        <ul>
          {objects === null && <li class="muted">loading…</li>}
          {objects?.length === 0 && <li class="muted">empty</li>}
          {groups.map(([kind, list]) => (
            <li key={kind}>
              <span class="group">{kindLabels[kind]}</span>
              <ul>
                {list.map((o) => {
                  const href = `#/browse/${relationKinds.includes(o.kind) ? 'rel' : 'fn'}/${o.oid}`;
                  const active = selected && 'oid' in selected && selected.oid === o.oid;
                  return (
                    <li key={o.oid}>
                      <a class={`tree-item obj ${active ? 'active' : ''}`} href={href} title={o.comment ?? ''} data-name={`${schema.name}.${o.name}`}>
                        {o.name}{o.signature !== null ? `(${o.signature})` : ''}
                      </a>
                    </li>
                  );
                })}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

function Extensions() {
  const [rows, setRows] = useState<Record<string, unknown>[] | null>(null);
  useEffect(() => { void get<Record<string, unknown>[]>('/api/catalog/extensions').then(setRows); }, []);
  if (!rows) return <p class="muted">Loading…</p>;
  return (
    <section>
      <h2>Extensions</h2>
      <ObjectTable rows={rows} columns={['name', 'installed_version', 'schema', 'default_version', 'comment']} />
    </section>
  );
}

export function BrowserPage() {
  const [schemas, setSchemas] = useState<SchemaRow[] | null>(null);
  const [open, setOpen] = useState<Set<string>>(new Set(['api']));
  const [selected, setSelected] = useState<Selection>(selectionOf());
  const [error, setError] = useState<unknown>(null);
  const [showSystem, setShowSystem] = useState(false);
  useEffect(() => {
    get<SchemaRow[]>('/api/catalog/schemas').then(setSchemas, setError);
    const onHash = () => setSelected(selectionOf());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  const toggle = (name: string) => {
    const next = new Set(open);
    if (next.has(name)) next.delete(name); else next.add(name);
    setOpen(next);
  };
  return (
    <div class="split">
      <aside class="sidebar">
        {error !== null && <ErrorBox error={errorOf(error)} />}
        <ul class="tree">
          {(schemas ?? []).filter((s) => showSystem || s.system !== 't').map((s) => (
            <SchemaNode key={s.name} schema={s} open={open.has(s.name)} onToggle={() => toggle(s.name)} selected={selected} />
          ))}
          <li><a class="tree-item" href="#/browse/extensions">Extensions</a></li>
        </ul>
        <label class="small muted"><input type="checkbox" checked={showSystem} onChange={(e) => setShowSystem(e.currentTarget.checked)} /> system schemas</label>
      </aside>
      <section class="content">
        {selected === null && <p class="muted">Pick an object on the left.</p>}
        {selected?.kind === 'extensions' && <Extensions />}
        {selected?.kind === 'rel' && <RelationView key={selected.oid} oid={selected.oid} />}
        {selected?.kind === 'fn' && <FunctionView key={selected.oid} oid={selected.oid} />}
      </section>
    </div>
  );
}
