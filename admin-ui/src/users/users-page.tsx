// Accounts (owners only): who may sign in and with which role; add one (a password, or one
// generated and shown once), change a role, remove one, or invite an email with a one-time link.
import { useEffect, useState } from 'preact/hooks';
import { api, get, post, type Role } from '../api';
import { ErrorBox, errorOf } from '../ui/widgets';

interface Account { id: string; email: string; role: Role; createdAt: string; hasPassword: boolean }
interface Invite { email: string; role: Role; createdBy: string; expiresAt: string }
const roles: Role[] = ['viewer', 'editor', 'owner'];

function RolePicker({ value, onChange, name }: { value: Role; onChange: (r: Role) => void; name: string }) {
  return (
    <select name={name} value={value} onChange={(e) => onChange(e.currentTarget.value as Role)}>
      {roles.map((r) => <option key={r} value={r}>{r}</option>)}
    </select>
  );
}

export function UsersPage({ me }: { me: string }) {
  const [data, setData] = useState<{ users: Account[]; invites: Invite[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [password, setPassword] = useState('');
  const [shown, setShown] = useState<string | null>(null);
  const load = () => get<{ users: Account[]; invites: Invite[] }>('/api/users').then(setData, setError);
  useEffect(() => { void load(); }, []);
  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      await load();
    } catch (err) {
      setError(err);
    }
  };
  const add = () => act(async () => {
    const r = await post<{ generatedPassword: string | null }>('/api/users', { email, role, password: password || undefined });
    setShown(r.generatedPassword ? `Password for ${email}: ${r.generatedPassword} (shown only now)` : `Added ${email}.`);
    setEmail('');
    setPassword('');
  });
  const invite = () => act(async () => {
    const r = await post<{ path: string; expiresAt: string }>('/api/users/invite', { email, role });
    setShown(`Invitation link for ${email} (one use, until ${r.expiresAt}): ${location.origin}${r.path}`);
    setEmail('');
  });
  return (
    <div class="content users-page">
      <h2>Accounts</h2>
      <ErrorBox error={error ? errorOf(error) : null} />
      {shown && <p class="notice secret" role="status">{shown}</p>}
      <form class="inline-form" onSubmit={(e) => { e.preventDefault(); void add(); }}>
        <input name="new-email" placeholder="email" aria-label="Email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        <RolePicker name="new-role" value={role} onChange={setRole} />
        <input name="new-password" type="password" autoComplete="new-password" placeholder="password (empty: generate)" aria-label="New password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        <button type="submit" class="primary" disabled={email === ''}>Add account</button>
        <button type="button" disabled={email === ''} onClick={() => void invite()}>Invite</button>
      </form>
      <div class="table-wrap">
        <table class="grid">
          <thead><tr><th>account</th><th>role</th><th>since</th><th /></tr></thead>
          <tbody>
            {data?.users.map((u) => (
              <tr key={u.id}>
                <td>{u.email}{u.email === me && <span class="muted"> (you)</span>}{!u.hasPassword && <span class="muted"> · token sign-in only</span>}</td>
                <td><RolePicker name={`role-${u.email}`} value={u.role} onChange={(r) => void act(() => post('/api/users/role', { email: u.email, role: r }))} /></td>
                <td class="muted small">{u.createdAt}</td>
                <td class="actions"><button class="link danger" onClick={() => confirm(`Remove ${u.email}? Its sessions end at once.`) && void act(() => api('DELETE', `/api/users?email=${encodeURIComponent(u.email)}`))}>Remove</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {data && data.invites.length > 0 && (
        <>
          <h3>Open invitations</h3>
          <ul class="small">{data.invites.map((i) => <li key={i.email + i.expiresAt}>{i.email} as {i.role}, by {i.createdBy}, until {i.expiresAt}</li>)}</ul>
        </>
      )}
      <p class="muted small">owner: everything, accounts and restores included · editor: data and schema changes · viewer: read-only (its SQL runs in a read-only transaction).</p>
    </div>
  );
}
