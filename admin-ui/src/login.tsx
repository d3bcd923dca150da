// Sign-in with the admin password (generated and printed at first start, or admin-password).
import { useState } from 'preact/hooks';
import { post, type SessionInfo } from './api';
import { ErrorBox, errorOf } from './ui/widgets';

export function Login({ onSignedIn }: { onSignedIn: (s: SessionInfo) => void }) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await post<SessionInfo>('/api/login', { password }));
    } catch (err) {
      setError(errorOf(err).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="login" onSubmit={submit}>
      <h1>PeSquel admin</h1>
      <label>
        Admin password
        <input type="password" name="password" autoFocus autoComplete="current-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
      </label>
      <button type="submit" class="primary" disabled={busy || password === ''}>Sign in</button>
      <ErrorBox error={error} />
      <p class="muted small">Without <code>admin-password</code>, <code>pesquel start</code> prints a generated password once, in its start banner. Lost it? Run <code>pesquel admin reset-password</code> in PeSquel's folder: it prints a new one. In the compose stack, use the one <code>pesquel setup</code> wrote to <code>secrets/pesquel_admin_password.txt</code>.</p>
    </form>
  );
}
