// Sign-in: an account (email) and its password, or only the password for the owner account admin
// (the single password of older versions, generated at first start or admin-password); or a JWT of
// the API's issuer when admin-jwt-claim is set.
import { useState } from 'preact/hooks';
import { post, type SessionInfo } from './api';
import { ErrorBox, errorOf } from './ui/widgets';

export function Login({ onSignedIn, jwtSignIn }: { onSignedIn: (s: SessionInfo) => void; jwtSignIn?: boolean }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const attempt = async (path: string, body: unknown) => {
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await post<SessionInfo>(path, body));
    } catch (err) {
      setError(errorOf(err).message);
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: Event) => {
    e.preventDefault();
    void attempt('/api/login', email.trim() === '' ? { password } : { email: email.trim(), password });
  };
  return (
    <form class="login" onSubmit={submit}>
      <h1>PeSquel admin</h1>
      <label>
        Account
        <input type="text" name="email" autoComplete="username" placeholder="email (empty: admin)" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
      </label>
      <label>
        Admin password
        <input type="password" name="password" autoFocus autoComplete="current-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
      </label>
      <button type="submit" class="primary" disabled={busy || password === ''}>Sign in</button>
      <ErrorBox error={error} />
      {jwtSignIn && (
        <details class="jwt-sign-in">
          <summary>Sign in with a token of the API's issuer</summary>
          <label>
            JWT
            <textarea name="token" rows={3} value={token} onInput={(e) => setToken(e.currentTarget.value)} />
          </label>
          <button type="button" disabled={busy || token.trim() === ''} onClick={() => void attempt('/api/login/jwt', { token: token.trim() })}>Sign in with token</button>
        </details>
      )}
      <p class="muted small">Without an account name you sign in as the owner <code>admin</code>. Without <code>admin-password</code>, <code>pesquel start</code> prints its generated password once, in its start banner. Lost it? Run <code>pesquel admin reset-password</code> in PeSquel's folder: it prints a new one. In the compose stack, use the one <code>pesquel setup</code> wrote to <code>secrets/pesquel_admin_password.txt</code>. Other accounts: <code>pesquel admin add-user</code> or an invitation from an owner.</p>
    </form>
  );
}
