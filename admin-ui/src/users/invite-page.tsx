// The page an invitation link opens (#/invite/<token>): shows the account and role it creates,
// asks for a password, accepts it (once) and signs in. The token never leaves the fragment except
// in the body of these two requests.
import { useEffect, useState } from 'preact/hooks';
import { post, type SessionInfo } from '../api';
import { ErrorBox, errorOf } from '../ui/widgets';

export function InvitePage({ token, onSignedIn }: { token: string; onSignedIn: (s: SessionInfo) => void }) {
  const [invite, setInvite] = useState<{ email: string; role: string } | null>(null);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    post<{ email: string; role: string }>('/api/invite/peek', { token }).then(setInvite, (e) => setError(errorOf(e).message));
  }, [token]);
  const accept = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const s = await post<SessionInfo>('/api/invite/accept', { token, password });
      history.replaceState(null, '', '#/home');
      onSignedIn(s);
    } catch (err) {
      setError(errorOf(err).message);
    }
  };
  return (
    <form class="login" onSubmit={accept}>
      <h1>PeSquel admin</h1>
      {invite && <p>You are invited as <b>{invite.role}</b>: the account <b>{invite.email}</b>.</p>}
      <label>
        Choose a password
        <input type="password" name="new-password" autoComplete="new-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
      </label>
      <button type="submit" class="primary" disabled={!invite || password === ''}>Create account</button>
      <ErrorBox error={error} />
    </form>
  );
}
