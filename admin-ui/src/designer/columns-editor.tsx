// The designer's column rows: name, type (picked from the database's types, `[]` for arrays),
// nullable, primary key, default / identity / generated expression, and removal. Every edit is a
// function of the latest table, so quick successive edits never work on a stale copy.
import { useRef } from 'preact/hooks';
import type { Column, TableSpec } from './model';
import { blankColumn, removeColumn, renameColumn, toggle } from './model';

type Kind = 'none' | 'default' | 'always' | 'by-default' | 'generated';
const kindOf = (c: Column): Kind => (c.identity ?? (c.generated !== null ? 'generated' : c.default !== null ? 'default' : 'none'));

export function ColumnsEditor({ table, types, onChange }: { table: TableSpec; types: string[]; onChange: (edit: (t: TableSpec) => TableSpec) => void }) {
  const set = (i: number, patch: Partial<Column>) => onChange((t) => ({ ...t, columns: t.columns.map((c, j) => (j === i ? { ...c, ...patch } : c)) }));
  // A name typed into a column follows into keys, indexes and FKs once the field is left.
  const editing = useRef('');
  const follow = (from: string, to: string) => { if (from && from !== to) onChange((t) => renameColumn(t, from, to)); };
  const setKind = (i: number, k: Kind, expr: string) => set(i, {
    identity: k === 'always' || k === 'by-default' ? k : null,
    default: k === 'default' ? expr : null, generated: k === 'generated' ? expr : null,
    ...(k === 'always' || k === 'by-default' ? { nullable: false } : {}),
  });
  const pk = table.primaryKey?.columns ?? [];
  const setPk = (c: string) => onChange((table) => {
    const cols = toggle(table.primaryKey?.columns ?? [], c, table.columns.map((x) => x.name));
    return { ...table, primaryKey: cols.length ? { name: table.primaryKey?.name ?? null, columns: cols } : null };
  });
  return (
    <section class="designer-section">
      <h3>Columns</h3>
      <datalist id="designer-types">{types.map((t) => <option key={t} value={t} />)}</datalist>
      <table class="grid designer-columns">
        <thead><tr><th>Name</th><th>Type</th><th>Null</th><th>PK</th><th>Value</th><th>Expression</th><th /></tr></thead>
        <tbody>
          {table.columns.map((c, i) => {
            const kind = kindOf(c);
            return (
              <tr key={i} data-column={c.name}>
                <td><input aria-label={`column ${i + 1} name`} value={c.name} onFocus={() => { editing.current = c.name; }}
                  onInput={(e) => set(i, { name: e.currentTarget.value })} onChange={(e) => follow(editing.current, e.currentTarget.value)} /></td>
                <td><input aria-label={`column ${i + 1} type`} list="designer-types" title="a type of this database; add [] for an array, (n) or (p,s) for modifiers" value={c.type} onInput={(e) => set(i, { type: e.currentTarget.value })} /></td>
                <td><input type="checkbox" aria-label={`column ${i + 1} nullable`} checked={c.nullable} onChange={(e) => set(i, { nullable: e.currentTarget.checked })} /></td>
                <td><input type="checkbox" aria-label={`column ${i + 1} primary key`} checked={pk.includes(c.name)} disabled={!c.name} onChange={() => setPk(c.name)} /></td>
                <td>
                  <select aria-label={`column ${i + 1} value`} value={kind} onChange={(e) => setKind(i, e.currentTarget.value as Kind, c.default ?? c.generated ?? '')}>
                    <option value="none">—</option><option value="default">default</option>
                    <option value="always">identity (always)</option><option value="by-default">identity (by default)</option>
                    <option value="generated">generated (stored)</option>
                  </select>
                </td>
                <td>
                  {(kind === 'default' || kind === 'generated') && (
                    <input aria-label={`column ${i + 1} expression`} placeholder="SQL expression" value={c.default ?? c.generated ?? ''}
                      onInput={(e) => setKind(i, kind, e.currentTarget.value)} />
                  )}
                </td>
                <td><button type="button" class="link" aria-label={`remove column ${i + 1}`} onClick={() => onChange((t) => removeColumn(t, i))}>×</button></td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <button type="button" onClick={() => onChange((t) => ({ ...t, columns: [...t.columns, blankColumn()] }))}>Add column</button>
    </section>
  );
}
