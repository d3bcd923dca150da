// The home page: who is signed in with which role, the database, and the backups' state — the
// newest backup's age, with a warning past the scheduled backups' staleness threshold (49 h, as
// the compose stack's backup healthcheck) or when there is none.
import { useEffect, useState } from 'preact/hooks';
import { get, post, type SessionInfo } from './api';
import { ErrorBox, errorOf } from './ui/widgets';

interface Status { dir: string; count: number; newest: { file: string; createdAt: string } | null; ageSeconds: number | null; staleAfterHours: number; stale: boolean }

export const age = (s: number) => (s < 3600 ? `${Math.round(s / 60)} min` : s < 172_800 ? `${(s / 3600).toFixed(1)} h` : `${Math.round(s / 86_400)} days`);

export function HomePage({ session }: { session: SessionInfo }) {
  const [status, setStatus] = useState<Status | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => { get<Status>('/api/backups/status').then(setStatus, setError); }, []);
  return (
    <div class="content home-page">
      <h2>PeSquel {session.version}</h2>
      <div class="cards">
        <div class="card"><div class="muted small">signed in as</div><div class="big">{session.account?.email}</div><div class="small">role: <b class="role">{session.account?.role}</b></div></div>
        <div class="card"><div class="muted small">database</div><div class="big">{session.database}</div><div class="small">{session.backend === 'pglite' ? 'embedded' : 'PostgreSQL'} {session.serverVersion}</div></div>
        <div class={`card backup-status ${status?.stale ? 'warn' : ''}`}>
          <div class="muted small">newest backup</div>
          {status && (status.newest && status.ageSeconds !== null
            ? <><div class="big">{age(status.ageSeconds)} ago</div><div class="small">{status.count} backups · {status.newest.file}</div></>
            : <div class="big">none yet</div>)}
          {status?.stale && <div class="small warn-text" role="alert">No backup in the last {status.staleAfterHours} h: are scheduled backups (<code>pesquel backup --every</code>, the compose stack's backup service) running?</div>}
        </div>
      </div>
      <ErrorBox error={error ? errorOf(error) : null} />
      {session.accounts && <PasswordChange />}
      <p class="muted small">Backups are read from <code>{status?.dir}</code> (<code>backup-dir</code>). PeSquel does not know the schedule itself; it warns when the newest backup is older than {status?.staleAfterHours ?? 49} hours.</p>
    </div>
  );
}

/** Changes the signed-in account's own password (the current one is asked again). */
function PasswordChange() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await post('/api/account/password', { current, password: next });
      setDone(true);
      setCurrent('');
      setNext('');
    } catch (err) {
      setError(err);
    }
  };
  return (
    <details class="password-change">
      <summary>Change your password</summary>
      <form class="inline-form" onSubmit={submit}>
        <input type="password" aria-label="Current password" placeholder="current password" autoComplete="current-password" value={current} onInput={(e) => setCurrent(e.currentTarget.value)} />
        <input type="password" aria-label="New password" placeholder="new password" autoComplete="new-password" value={next} onInput={(e) => setNext(e.currentTarget.value)} />
        <button type="submit" disabled={current === '' || next === ''}>Change</button>
        {done && <span class="small" role="status">Changed.</span>}
      </form>
      <ErrorBox error={error ? errorOf(error) : null} />
    </details>
  );
}
