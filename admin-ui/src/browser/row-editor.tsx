// Edits, inserts or deletes one row: the form builds a change, the server turns it into SQL that
// is shown here, and only "Run" executes it (exactly as shown).
import { useState } from 'preact/hooks';
import { post } from '../api';
import { ErrorBox, Modal, errorOf } from '../ui/widgets';
import { HighlightedSql } from '../sql/highlighted';

export type RowChange =
  | { op: 'insert'; values: Record<string, string | null> }
  | { op: 'update'; key: Record<string, string | null>; values: Record<string, string | null> }
  | { op: 'delete'; key: Record<string, string | null> };

interface Field { text: string; isNull: boolean }

interface Props {
  schema: string;
  table: string;
  columns: { name: string; type: string }[];
  primaryKey: string[];
  /** null: a new row. */
  row: (string | null)[] | null;
  onClose: () => void;
  onDone: (change: RowChange, sql: string) => void;
}

export function RowEditor({ schema, table, columns, primaryKey, row, onClose, onDone }: Props) {
  const [fields, setFields] = useState<Field[]>(columns.map((_, i) => ({ text: row?.[i] ?? '', isNull: row !== null && row[i] === null })));
  const [preview, setPreview] = useState<{ change: RowChange; sql: string } | null>(null);
  const [error, setError] = useState<unknown>(null);

  const key = () => Object.fromEntries(primaryKey.map((k) => [k, row?.[columns.findIndex((c) => c.name === k)] ?? null]));
  const value = (f: Field) => (f.isNull ? null : f.text);
  const build = (op: 'save' | 'delete'): RowChange => {
    if (op === 'delete') return { op: 'delete', key: key() };
    if (row === null) {
      // Empty fields are left out, so the column's default applies.
      const values = Object.fromEntries(columns.flatMap((c, i) => (fields[i]!.isNull || fields[i]!.text !== '' ? [[c.name, value(fields[i]!)]] : [])));
      return { op: 'insert', values };
    }
    const values = Object.fromEntries(columns.flatMap((c, i) => (value(fields[i]!) !== row[i] ? [[c.name, value(fields[i]!)]] : [])));
    return { op: 'update', key: key(), values };
  };
  const show = async (op: 'save' | 'delete') => {
    setError(null);
    try {
      const change = build(op);
      setPreview({ change, sql: (await post<{ sql: string }>('/api/data/preview', { schema, table, change })).sql });
    } catch (err) {
      setError(err);
    }
  };
  const run = async () => {
    if (!preview) return;
    try {
      const r = await post<{ sql: string }>('/api/data/apply', { schema, table, change: preview.change });
      onDone(preview.change, r.sql);
    } catch (err) {
      setError(err);
    }
  };
  const set = (i: number, f: Partial<Field>) => setFields(fields.map((x, j) => (j === i ? { ...x, ...f } : x)));

  return (
    <Modal title={row === null ? `Insert into ${schema}.${table}` : `Edit row of ${schema}.${table}`} onClose={onClose}>
      {!preview && (
        <form class="row-form" onSubmit={(e) => { e.preventDefault(); void show('save'); }}>
          {columns.map((c, i) => (
            <label key={c.name} class="field">
              <span>{c.name}{primaryKey.includes(c.name) ? <span class="badge">PK</span> : ''} <span class="type">{c.type}</span></span>
              <input name={c.name} value={fields[i]!.text} disabled={fields[i]!.isNull} placeholder={row === null ? 'default' : ''}
                onInput={(e) => set(i, { text: e.currentTarget.value })} />
              <label class="small"><input type="checkbox" checked={fields[i]!.isNull} onChange={(e) => set(i, { isNull: e.currentTarget.checked })} /> NULL</label>
            </label>
          ))}
          <div class="buttons">
            <button type="submit">Preview SQL</button>
            {row !== null && <button type="button" class="danger" onClick={() => void show('delete')}>Delete row…</button>}
          </div>
        </form>
      )}
      {preview && (
        <div class="preview">
          <p>This SQL will run:</p>
          <HighlightedSql sql={preview.sql} />
          <div class="buttons">
            <button class={preview.change.op === 'delete' ? 'danger' : 'primary'} onClick={() => void run()}>Run</button>
            <button type="button" onClick={() => setPreview(null)}>Back</button>
          </div>
        </div>
      )}
      <ErrorBox error={error ? errorOf(error) : null} />
    </Modal>
  );
}
