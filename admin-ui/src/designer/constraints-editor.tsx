// The designer's table-level parts: unique and check constraints, foreign keys (target table and
// columns picked from the database) and indexes. Columns are chosen with checkboxes, in table order.
import type { ForeignKey, TableSpec } from './model';
import { fkActions, indexMethods, toggle } from './model';

export interface Target { schema: string; name: string; columns: string[] }

function ColumnChoice({ label, all, chosen, onChange }: { label: string; all: string[]; chosen: string[]; onChange: (c: string[]) => void }) {
  return (
    <span class="designer-choice" role="group" aria-label={label}>
      {all.filter(Boolean).map((c) => (
        <label key={c}><input type="checkbox" checked={chosen.includes(c)} onChange={() => onChange(toggle(chosen, c, all))} />{c}</label>
      ))}
    </span>
  );
}

const named = (v: string) => (v.trim() ? v : null);
const without = <T,>(list: T[], i: number) => list.filter((_, j) => j !== i);
const replace = <T,>(list: T[], i: number, patch: Partial<T>) => list.map((x, j) => (j === i ? { ...x, ...patch } : x));

export function ConstraintsEditor({ table, targets, onChange }: { table: TableSpec; targets: Target[]; onChange: (edit: (t: TableSpec) => TableSpec) => void }) {
  const cols = table.columns.map((c) => c.name);
  const set = (patch: (t: TableSpec) => Partial<TableSpec>) => onChange((t) => ({ ...t, ...patch(t) }));
  const targetOf = (f: ForeignKey) => targets.find((t) => t.schema === f.refSchema && t.name === f.refTable);
  return (
    <>
      <section class="designer-section">
        <h3>Unique constraints</h3>
        {table.uniques.map((u, i) => (
          <div class="designer-item" key={i}>
            <input aria-label={`unique ${i + 1} name`} placeholder="name (optional)" value={u.name ?? ''} onInput={(e) => { const v = e.currentTarget.value; set((table) => ({ uniques: replace(table.uniques, i, { name: named(v) }) })); }} />
            <ColumnChoice label={`unique ${i + 1} columns`} all={cols} chosen={u.columns} onChange={(c) => set((table) => ({ uniques: replace(table.uniques, i, { columns: c }) }))} />
            <button type="button" class="link" onClick={() => set((table) => ({ uniques: without(table.uniques, i) }))}>remove</button>
          </div>
        ))}
        <button type="button" onClick={() => set((table) => ({ uniques: [...table.uniques, { name: null, columns: [] }] }))}>Add unique</button>
      </section>
      <section class="designer-section">
        <h3>Check constraints</h3>
        {table.checks.map((c, i) => (
          <div class="designer-item" key={i}>
            <input aria-label={`check ${i + 1} name`} placeholder="name (optional)" value={c.name ?? ''} onInput={(e) => { const v = e.currentTarget.value; set((table) => ({ checks: replace(table.checks, i, { name: named(v) }) })); }} />
            <input aria-label={`check ${i + 1} expression`} class="wide" placeholder="SQL expression, e.g. price > 0" value={c.expression} onInput={(e) => { const v = e.currentTarget.value; set((table) => ({ checks: replace(table.checks, i, { expression: v }) })); }} />
            <button type="button" class="link" onClick={() => set((table) => ({ checks: without(table.checks, i) }))}>remove</button>
          </div>
        ))}
        <button type="button" onClick={() => set((table) => ({ checks: [...table.checks, { name: null, expression: '' }] }))}>Add check</button>
      </section>
      <section class="designer-section">
        <h3>Foreign keys</h3>
        {table.foreignKeys.map((f, i) => {
          const target = targetOf(f);
          const fk = (patch: Partial<ForeignKey>) => set((table) => ({ foreignKeys: replace(table.foreignKeys, i, patch) }));
          return (
            <div class="designer-item" key={i}>
              <input aria-label={`foreign key ${i + 1} name`} placeholder="name (optional)" value={f.name ?? ''} onInput={(e) => fk({ name: named(e.currentTarget.value) })} />
              <ColumnChoice label={`foreign key ${i + 1} columns`} all={cols} chosen={f.columns} onChange={(c) => fk({ columns: c })} />
              <span>→</span>
              <select aria-label={`foreign key ${i + 1} target`} value={`${f.refSchema}.${f.refTable}`} onChange={(e) => {
                const t = targets.find((x) => `${x.schema}.${x.name}` === e.currentTarget.value);
                if (t) fk({ refSchema: t.schema, refTable: t.name, refColumns: [] });
              }}>
                <option value=".">target table…</option>
                {targets.map((t) => <option key={`${t.schema}.${t.name}`} value={`${t.schema}.${t.name}`}>{t.schema}.{t.name}</option>)}
              </select>
              <ColumnChoice label={`foreign key ${i + 1} target columns`} all={target?.columns ?? []} chosen={f.refColumns} onChange={(c) => fk({ refColumns: c })} />
              <label>on delete <select aria-label={`foreign key ${i + 1} on delete`} value={f.onDelete} onChange={(e) => fk({ onDelete: e.currentTarget.value as ForeignKey['onDelete'] })}>{fkActions.map((a) => <option key={a}>{a}</option>)}</select></label>
              <label>on update <select aria-label={`foreign key ${i + 1} on update`} value={f.onUpdate} onChange={(e) => fk({ onUpdate: e.currentTarget.value as ForeignKey['onUpdate'] })}>{fkActions.map((a) => <option key={a}>{a}</option>)}</select></label>
              <button type="button" class="link" onClick={() => set((table) => ({ foreignKeys: without(table.foreignKeys, i) }))}>remove</button>
            </div>
          );
        })}
        <button type="button" onClick={() => set((table) => ({ foreignKeys: [...table.foreignKeys, { name: null, columns: [], refSchema: '', refTable: '', refColumns: [], onDelete: 'NO ACTION', onUpdate: 'NO ACTION' }] }))}>Add foreign key</button>
      </section>
      <section class="designer-section">
        <h3>Indexes</h3>
        {table.indexes.map((x, i) => (
          <div class="designer-item" key={i}>
            {x.definition !== undefined ? <code>{x.definition}</code> : (
              <>
                <input aria-label={`index ${i + 1} name`} placeholder="name (optional)" value={x.name ?? ''} onInput={(e) => { const v = e.currentTarget.value; set((table) => ({ indexes: replace(table.indexes, i, { name: named(v) }) })); }} />
                <ColumnChoice label={`index ${i + 1} columns`} all={cols} chosen={x.columns} onChange={(c) => set((table) => ({ indexes: replace(table.indexes, i, { columns: c }) }))} />
                <label><input type="checkbox" aria-label={`index ${i + 1} unique`} checked={x.unique} onChange={(e) => { const v = e.currentTarget.checked; set((table) => ({ indexes: replace(table.indexes, i, { unique: v }) })); }} />unique</label>
                <select aria-label={`index ${i + 1} method`} value={x.method} onChange={(e) => { const v = e.currentTarget.value; set((table) => ({ indexes: replace(table.indexes, i, { method: v }) })); }}>{indexMethods.map((m) => <option key={m}>{m}</option>)}</select>
              </>
            )}
            <button type="button" class="link" onClick={() => set((table) => ({ indexes: without(table.indexes, i) }))}>remove</button>
          </div>
        ))}
        <button type="button" onClick={() => set((table) => ({ indexes: [...table.indexes, { name: null, columns: [], unique: false, method: 'btree' }] }))}>Add index</button>
      </section>
    </>
  );
}
