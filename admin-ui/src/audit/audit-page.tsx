// The audit log: every change made through the admin UI (who, when, the SQL, rows affected),
// newest first, filtered by account, time and action, 50 a page, and downloadable as CSV or JSON.
import { useEffect, useState } from 'preact/hooks';
import { get, q } from '../api';
import { ErrorBox, errorOf } from '../ui/widgets';

interface Entry { id: string; at: string; actor: string; actorRole: string; action: string; sql: string | null; rows: number | null; ok: boolean; detail: string | null }
const pageSize = 50;

/** `2026-12-04T22:00` (a datetime-local value, local time) → ISO, or ''. */
const iso = (local: string) => (local ? new Date(local).toISOString() : '');

export function AuditPage() {
  const [actors, setActors] = useState<string[]>([]);
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ entries: Entry[]; total: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const filters = () => Object.fromEntries(Object.entries({ actor, action, from: iso(from), to: iso(to) }).filter(([, v]) => v !== ''));
  useEffect(() => { get<string[]>('/api/audit/actors').then(setActors, setError); }, []);
  useEffect(() => {
    get<{ entries: Entry[]; total: number }>(`/api/audit?${q({ ...filters(), limit: pageSize, offset })}`).then((p) => { setPage(p); setError(null); }, setError);
  }, [actor, action, from, to, offset]);
  const exportHref = (format: string) => `/api/audit/export?${q({ ...filters(), format })}`;
  const reset = (fn: (v: string) => void) => (v: string) => { fn(v); setOffset(0); };
  return (
    <div class="content audit-page">
      <h2>Audit log</h2>
      <div class="inline-form">
        <select aria-label="Account" value={actor} onChange={(e) => reset(setActor)(e.currentTarget.value)}>
          <option value="">every account</option>
          {actors.map((a) => <option key={a} value={a}>{a}</option>)}
        </select>
        <select aria-label="Action" value={action} onChange={(e) => reset(setAction)(e.currentTarget.value)}>
          <option value="">every action</option>
          {['grid.', 'sql.', 'designer.', 'security.', 'user.', 'backup.', 'activity.'].map((a) => <option key={a} value={a}>{a.slice(0, -1)}</option>)}
        </select>
        <label class="small">from <input type="datetime-local" aria-label="From" value={from} onInput={(e) => reset(setFrom)(e.currentTarget.value)} /></label>
        <label class="small">to <input type="datetime-local" aria-label="To" value={to} onInput={(e) => reset(setTo)(e.currentTarget.value)} /></label>
        <a class="button" href={exportHref('csv')} download>Export CSV</a>
        <a class="button" href={exportHref('json')} download>Export JSON</a>
      </div>
      <ErrorBox error={error ? errorOf(error) : null} />
      <div class="table-wrap">
        <table class="grid audit-table">
          <thead><tr><th>when (UTC)</th><th>account</th><th>action</th><th>rows</th><th>SQL / detail</th></tr></thead>
          <tbody>
            {page?.entries.map((e) => (
              <tr key={e.id} class={e.ok ? '' : 'failed'}>
                <td class="small nowrap">{e.at.replace('T', ' ').replace('Z', '')}</td>
                <td>{e.actor} <span class="muted small">{e.actorRole}</span></td>
                <td>{e.action}{!e.ok && <span class="t-error"> failed</span>}</td>
                <td class="num">{e.rows ?? ''}</td>
                <td>{e.sql && <pre class="sql-view small">{e.sql}</pre>}{e.detail && <div class="muted small">{e.detail}</div>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {page && (
        <div class="pager">
          <button disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - pageSize))}>Newer</button>
          <span class="muted small">{page.total === 0 ? 'no entries' : `${offset + 1}–${Math.min(offset + pageSize, page.total)} of ${page.total}`}</span>
          <button disabled={offset + pageSize >= page.total} onClick={() => setOffset(offset + pageSize)}>Older</button>
        </div>
      )}
    </div>
  );
}
