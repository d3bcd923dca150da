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

export function ConstraintsEditor({ table, targets, onChange }: { table: TableSpec; targets: Target[]; onChange: (t: TableSpec) => void }) {
  const cols = table.columns.map((c) => c.name);
  const set = (patch: Partial<TableSpec>) => onChange({ ...table, ...patch });
  const targetOf = (f: ForeignKey) => targets.find((t) => t.schema === f.refSchema && t.name === f.refTable);
  return (
    <>
      <section class="designer-section">
        <h3>Unique constraints</h3>
        {table.uniques.map((u, i) => (
          <div class="designer-item" key={i}>
            <input aria-label={`unique ${i + 1} name`} placeholder="name (optional)" value={u.name ?? ''} onChange={(e) => set({ uniques: replace(table.uniques, i, { name: named(e.currentTarget.value) }) })} />
            <ColumnChoice label={`unique ${i + 1} columns`} all={cols} chosen={u.columns} onChange={(c) => set({ uniques: replace(table.uniques, i, { columns: c }) })} />
            <button type="button" class="link" onClick={() => set({ uniques: without(table.uniques, i) })}>remove</button>
          </div>
        ))}
        <button type="button" onClick={() => set({ uniques: [...table.uniques, { name: null, columns: [] }] })}>Add unique</button>
      </section>
      <section class="designer-section">
        <h3>Check constraints</h3>
        {table.checks.map((c, i) => (
          <div class="designer-item" key={i}>
            <input aria-label={`check ${i + 1} name`} placeholder="name (optional)" value={c.name ?? ''} onChange={(e) => set({ checks: replace(table.checks, i, { name: named(e.currentTarget.value) }) })} />
            <input aria-label={`check ${i + 1} expression`} class="wide" placeholder="SQL expression, e.g. price > 0" value={c.expression} onChange={(e) => set({ checks: replace(table.checks, i, { expression: e.currentTarget.value }) })} />
            <button type="button" class="link" onClick={() => set({ checks: without(table.checks, i) })}>remove</button>
          </div>
        ))}
        <button type="button" onClick={() => set({ checks: [...table.checks, { name: null, expression: '' }] })}>Add check</button>
      </section>
      <section class="designer-section">
        <h3>Foreign keys</h3>
        {table.foreignKeys.map((f, i) => {
          const target = targetOf(f);
          const fk = (patch: Partial<ForeignKey>) => set({ foreignKeys: replace(table.foreignKeys, i, patch) });
          return (
            <div class="designer-item" key={i}>
              <input aria-label={`foreign key ${i + 1} name`} placeholder="name (optional)" value={f.name ?? ''} onChange={(e) => fk({ name: named(e.currentTarget.value) })} />
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
              <button type="button" class="link" onClick={() => set({ foreignKeys: without(table.foreignKeys, i) })}>remove</button>
            </div>
          );
        })}
        <button type="button" onClick={() => set({ foreignKeys: [...table.foreignKeys, { name: null, columns: [], refSchema: '', refTable: '', refColumns: [], onDelete: 'NO ACTION', onUpdate: 'NO ACTION' }] })}>Add foreign key</button>
      </section>
      <section class="designer-section">
        <h3>Indexes</h3>
        {table.indexes.map((x, i) => (
          <div class="designer-item" key={i}>
            {x.definition !== undefined ? <code>{x.definition}</code> : (
              <>
                <input aria-label={`index ${i + 1} name`} placeholder="name (optional)" value={x.name ?? ''} onChange={(e) => set({ indexes: replace(table.indexes, i, { name: named(e.currentTarget.value) }) })} />
                <ColumnChoice label={`index ${i + 1} columns`} all={cols} chosen={x.columns} onChange={(c) => set({ indexes: replace(table.indexes, i, { columns: c }) })} />
                <label><input type="checkbox" aria-label={`index ${i + 1} unique`} checked={x.unique} onChange={(e) => set({ indexes: replace(table.indexes, i, { unique: e.currentTarget.checked }) })} />unique</label>
                <select aria-label={`index ${i + 1} method`} value={x.method} onChange={(e) => set({ indexes: replace(table.indexes, i, { method: e.currentTarget.value }) })}>{indexMethods.map((m) => <option key={m}>{m}</option>)}</select>
              </>
            )}
            <button type="button" class="link" onClick={() => set({ indexes: without(table.indexes, i) })}>remove</button>
          </div>
        ))}
        <button type="button" onClick={() => set({ indexes: [...table.indexes, { name: null, columns: [], unique: false, method: 'btree' }] })}>Add index</button>
      </section>
    </>
  );
}
