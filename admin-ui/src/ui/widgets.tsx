// Small shared widgets: a table of values, an error box, a modal and tab bar.
import type { ComponentChildren } from 'preact';
import type { ErrorBody } from '../api';

export function ValueTable({ columns, rows, onRow }: { columns: string[]; rows: (string | null)[][]; onRow?: (i: number) => void }) {
  return (
    <div class="table-wrap">
      <table class="grid">
        <thead><tr>{columns.map((c) => <th key={c}>{c}</th>)}</tr></thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i} onClick={onRow ? () => onRow(i) : undefined}>
              {r.map((v, j) => <td key={j} class={v === null ? 'null' : ''}>{v === null ? 'NULL' : v}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Rows of objects as a table, columns in the order given. */
export function ObjectTable({ rows, columns }: { rows: Record<string, unknown>[]; columns: string[] }) {
  const cell = (v: unknown) => (v === null || v === undefined ? null : typeof v === 'string' ? v : Array.isArray(v) ? v.join(', ') : JSON.stringify(v));
  return <ValueTable columns={columns} rows={rows.map((r) => columns.map((c) => cell(r[c])))} />;
}

export function ErrorBox({ error }: { error: ErrorBody | string | null }) {
  if (!error) return null;
  const e = typeof error === 'string' ? { message: error } as ErrorBody : error;
  return (
    <div class="error" role="alert">
      <strong>{e.code ? `${e.code}: ` : ''}</strong>{e.message}
      {e.detail && <div>Detail: {e.detail}</div>}
      {e.hint && <div>Hint: {e.hint}</div>}
    </div>
  );
}

export function Modal({ title, children, onClose }: { title: string; children: ComponentChildren; onClose: () => void }) {
  return (
    <div class="modal-back" onClick={(e) => { if (e.target === e.currentTarget) onClose(); }}>
      <div class="modal" role="dialog" aria-label={title}>
        <div class="modal-head"><h3>{title}</h3><button class="link" onClick={onClose} aria-label="close">×</button></div>
        {children}
      </div>
    </div>
  );
}

export function Tabs<T extends string>({ tabs, active, onSelect }: { tabs: readonly T[]; active: T; onSelect: (t: T) => void }) {
  return (
    <div class="tabs" role="tablist">
      {tabs.map((t) => <button key={t} role="tab" class={t === active ? 'active' : ''} aria-selected={t === active} onClick={() => onSelect(t)}>{t}</button>)}
    </div>
  );
}

export const errorOf = (e: unknown): ErrorBody => (e && typeof e === 'object' && 'body' in e ? (e as { body: ErrorBody }).body : { code: '', message: String(e) });
