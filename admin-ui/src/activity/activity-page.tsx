// Activity: the database's sessions (running queries, waits, blockers) with cancel and terminate,
// ungranted and held locks, sizes, and both connection pools; refreshes every few seconds.
import { useEffect, useState } from 'preact/hooks';
import { get, post, type SessionInfo } from '../api';
import { ErrorBox, ObjectTable, errorOf } from '../ui/widgets';

interface Activity {
  backend: string;
  sessions: Record<string, string | boolean | null>[];
  locks: Record<string, unknown>[];
  size: Record<string, string> | null;
  tables: Record<string, unknown>[];
  pools: { api: Record<string, number>; admin: Record<string, number> };
}

export function ActivityPage({ session }: { session: SessionInfo }) {
  const [a, setA] = useState<Activity | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [auto, setAuto] = useState(true);
  const load = () => get<Activity>('/api/activity').then((x) => { setA(x); setError(null); }, setError);
  useEffect(() => {
    void load();
    if (!auto) return;
    const t = setInterval(() => void load(), 3000);
    return () => clearInterval(t);
  }, [auto]);
  const signal = async (pid: string, action: 'cancel' | 'terminate') => {
    if (action === 'terminate' && !confirm(`Terminate backend ${pid}? Its transaction is rolled back and its connection closed.`)) return;
    try {
      await post('/api/activity/signal', { pid: Number(pid), action });
      await load();
    } catch (err) {
      setError(err);
    }
  };
  if (!a) return <div class="content"><ErrorBox error={error ? errorOf(error) : null} /><p class="muted">Loading…</p></div>;
  const embedded = session.backend === 'pglite';
  return (
    <div class="activity">
      <ErrorBox error={error ? errorOf(error) : null} />
      <div class="cards">
        <div class="card"><div class="muted small">database {a.size?.database}</div><div class="big">{a.size?.database_size}</div></div>
        <div class="card"><div class="muted small">API pool</div><div class="big">{a.pools.api.total}/{a.pools.api.max}</div><div class="small">{a.pools.api.idle} idle · {a.pools.api.waiting} waiting</div></div>
        <div class="card"><div class="muted small">admin pool (closes idle connections)</div><div class="big">{a.pools.admin.total}/{a.pools.admin.max}</div><div class="small">{a.pools.admin.idle} idle · {a.pools.admin.waiting} waiting</div></div>
        <label class="small"><input type="checkbox" checked={auto} onChange={(e) => setAuto(e.currentTarget.checked)} /> refresh every 3 s</label>
      </div>
      {embedded && <p class="muted small">The embedded database is a single session shared by the API and this UI: there is nothing to cancel or terminate.</p>}
      <h3>Sessions</h3>
      <div class="table-wrap">
        <table class="grid">
          <thead><tr><th /><th>pid</th><th>user</th><th>application</th><th>state</th><th>wait</th><th>blocked by</th><th>running</th><th>query</th></tr></thead>
          <tbody>
            {a.sessions.map((s) => (
              <tr key={String(s.pid)}>
                <td class="actions">
                  {!embedded && !s.admin && s.backend_type === 'client backend' && (
                    <>
                      <button class="link needs-editor" onClick={() => void signal(String(s.pid), 'cancel')}>Cancel</button>{' '}
                      <button class="link danger needs-editor" onClick={() => void signal(String(s.pid), 'terminate')}>Terminate</button>
                    </>
                  )}
                </td>
                <td>{s.pid}</td><td>{s.user}</td><td>{s.application}{s.admin ? ' (this UI)' : ''}</td><td>{s.state ?? s.backend_type}</td>
                <td>{s.wait_event_type ? `${s.wait_event_type}: ${s.wait_event}` : ''}</td><td>{s.blocked_by === '{}' ? '' : s.blocked_by}</td>
                <td>{s.state === 'active' && s.running_ms ? `${(Number(s.running_ms) / 1000).toFixed(1)} s` : ''}</td>
                <td class="query"><code>{s.query}</code></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>Locks</h3>
      {a.locks.length === 0 ? <p class="muted small">No locks held by other sessions.</p> : <ObjectTable rows={a.locks} columns={['pid', 'locktype', 'mode', 'granted', 'target']} />}
      <h3>Largest tables</h3>
      <ObjectTable rows={a.tables} columns={['schema', 'name', 'estimated_rows', 'total', 'table', 'indexes']} />
    </div>
  );
}
