// A table's rows: server-side paging, sorting (click a header) and filters; insert, edit and
// delete by primary key, each showing the SQL first and running it only on confirmation; CSV.
import { useEffect, useState } from 'preact/hooks';
import { hasRole, post, q } from '../api';
import { ErrorBox, errorOf } from '../ui/widgets';
import { RowEditor, type RowChange } from './row-editor';

interface Page { columns: { name: string; type: string }[]; primaryKey: string[]; rows: (string | null)[][]; total: number; sql: string }
interface Filter { column: string; op: string; value: string }
interface Sort { column: string; dir: 'asc' | 'desc' }

const ops: Record<string, string> = { eq: '=', neq: '≠', lt: '<', lte: '≤', gt: '>', gte: '≥', like: 'like', ilike: 'ilike', null: 'is null', notnull: 'is not null' };
const pageSize = 50;

export function DataGrid({ schema, table, editable }: { schema: string; table: string; editable: boolean }) {
  const [page, setPage] = useState<Page | null>(null);
  const [offset, setOffset] = useState(0);
  const [sort, setSort] = useState<Sort[]>([]);
  const [filters, setFilters] = useState<Filter[]>([]);
  const [draft, setDraft] = useState<Filter>({ column: '', op: 'eq', value: '' });
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<{ row: (string | null)[] | null } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const query = { limit: pageSize, offset, sort, filters };
  const load = () => post<Page>('/api/data/rows', { schema, table, ...query }).then((p) => { setPage(p); setError(null); }, setError);
  useEffect(() => { void load(); }, [schema, table, offset, JSON.stringify(sort), JSON.stringify(filters)]);

  const cycleSort = (column: string) => {
    const cur = sort.find((s) => s.column === column);
    setSort(!cur ? [{ column, dir: 'asc' }] : cur.dir === 'asc' ? [{ column, dir: 'desc' }] : []);
    setOffset(0);
  };
  const addFilter = (e: Event) => {
    e.preventDefault();
    const column = draft.column || page?.columns[0]?.name;
    if (!column) return;
    setFilters([...filters, { ...draft, column }]);
    setDraft({ ...draft, value: '' });
    setOffset(0);
  };
  const importCsv = async (file: File | undefined) => {
    if (!file) return;
    try {
      const r = await post<{ inserted: number }>('/api/data/import', { schema, table, csv: await file.text() });
      setNotice(`Imported ${r.inserted} rows from ${file.name}.`);
      await load();
    } catch (err) {
      setError(err);
    }
  };
  const done = (change: RowChange, sql: string) => {
    setEditing(null);
    setNotice(`Ran: ${sql}`);
    if (change.op === 'insert') setOffset(0);
    void load();
  };

  const cols = page?.columns ?? [];
  const canEdit = editable && hasRole('editor') && (page?.primaryKey.length ?? 0) > 0;
  const exportHref = `/api/data/export?${q({ schema, table, q: JSON.stringify({ sort, filters }) })}`;
  return (
    <div class="data-grid">
      <form class="toolbar" onSubmit={addFilter}>
        <select aria-label="filter column" value={draft.column} onChange={(e) => setDraft({ ...draft, column: e.currentTarget.value })}>
          {cols.map((c) => <option key={c.name} value={c.name}>{c.name}</option>)}
        </select>
        <select aria-label="filter operator" value={draft.op} onChange={(e) => setDraft({ ...draft, op: e.currentTarget.value })}>
          {Object.entries(ops).map(([k, v]) => <option key={k} value={k}>{v}</option>)}
        </select>
        {draft.op !== 'null' && draft.op !== 'notnull' && (
          <input aria-label="filter value" placeholder="value" value={draft.value} onInput={(e) => setDraft({ ...draft, value: e.currentTarget.value })} />
        )}
        <button type="submit">Filter</button>
        {filters.map((f, i) => (
          <span key={i} class="chip">{f.column} {ops[f.op]} {f.op === 'null' || f.op === 'notnull' ? '' : JSON.stringify(f.value)}
            <button type="button" class="link" aria-label="remove filter" onClick={() => { setFilters(filters.filter((_, j) => j !== i)); setOffset(0); }}>×</button>
          </span>
        ))}
        <span class="spacer" />
        {canEdit && <button type="button" onClick={() => setEditing({ row: null })}>Insert row</button>}
        <a class="button" href={exportHref} download>Export CSV</a>
        {editable && hasRole('editor') && (
          <label class="button">Import CSV<input type="file" accept=".csv,text/csv" hidden onChange={(e) => void importCsv(e.currentTarget.files?.[0])} /></label>
        )}
      </form>
      {editable && page && page.primaryKey.length === 0 && <p class="warn small">This table has no primary key: rows can be read and exported, not edited.</p>}
      <ErrorBox error={error ? errorOf(error) : null} />
      {notice && <p class="notice small">{notice}</p>}
      {page && (
        <>
          <div class="table-wrap">
            <table class="grid">
              <thead>
                <tr>
                  {canEdit && <th />}
                  {cols.map((c) => {
                    const s = sort.find((x) => x.column === c.name);
                    return (
                      <th key={c.name} class="sortable" onClick={() => cycleSort(c.name)} title={c.type}>
                        {c.name}{page.primaryKey.includes(c.name) ? <span class="badge">PK</span> : ''} {s ? (s.dir === 'asc' ? '▲' : '▼') : ''}
                        <div class="type">{c.type}</div>
                      </th>
                    );
                  })}
                </tr>
              </thead>
              <tbody>
                {page.rows.map((r, i) => (
                  <tr key={i}>
                    {canEdit && <td class="actions"><button class="link" onClick={() => setEditing({ row: r })}>Edit</button></td>}
                    {r.map((v, j) => <td key={j} class={v === null ? 'null' : ''}>{v === null ? 'NULL' : v}</td>)}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div class="pager">
            <button disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - pageSize))}>‹ Prev</button>
            <span>{page.total === 0 ? 'no rows' : `rows ${offset + 1}–${offset + page.rows.length} of ${page.total}`}</span>
            <button disabled={offset + pageSize >= page.total} onClick={() => setOffset(offset + pageSize)}>Next ›</button>
            <code class="small muted sql-line">{page.sql}</code>
          </div>
        </>
      )}
      {editing && page && (
        <RowEditor schema={schema} table={table} columns={page.columns} primaryKey={page.primaryKey} row={editing.row} onClose={() => setEditing(null)} onDone={done} />
      )}
    </div>
  );
}
