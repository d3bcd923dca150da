// The shell: asks the server for the session, shows sign-in or the four screens (hash routes, so a
// reload returns to the same screen), and signs out.
import { useEffect, useState } from 'preact/hooks';
import { get, post, setCsrf, whenSignedOut, type SessionInfo } from './api';
import { Login } from './login';
import { BrowserPage } from './browser/browser-page';
import { SqlPage } from './sql/sql-page';
import { SecurityPage } from './security/security-page';
import { ActivityPage } from './activity/activity-page';
import { DesignerPage } from './designer/designer-page';
import { ErPage } from './er/er-page';

const screens = { browse: 'Browser', sql: 'SQL', security: 'Roles & security', activity: 'Activity', designer: 'Designer', er: 'ER diagram' } as const;
type Screen = keyof typeof screens;

const screenOf = (): Screen => {
  const s = location.hash.replace(/^#\/?/, '').split('/')[0] as Screen;
  return s in screens ? s : 'browse';
};

export function App() {
  const [session, setSession] = useState<SessionInfo | null>(null);
  const [screen, setScreen] = useState<Screen>(screenOf());

  const accept = (s: SessionInfo) => {
    setCsrf(s.csrf ?? '');
    setSession(s);
  };
  useEffect(() => {
    whenSignedOut(() => setSession({ signedIn: false }));
    get<SessionInfo>('/api/session').then(accept, () => setSession({ signedIn: false }));
    const onHash = () => setScreen(screenOf());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);

  if (!session) return <div class="loading">Loading…</div>;
  if (!session.signedIn) return <Login onSignedIn={accept} />;
  const signOut = async () => {
    await post('/api/logout', {}).catch(() => undefined);
    setSession({ signedIn: false });
  };
  return (
    <div class="shell">
      <header class="top">
        <span class="brand">PeSquel</span>
        <nav>
          {(Object.keys(screens) as Screen[]).map((s) => (
            <a key={s} href={`#/${s}`} class={s === screen ? 'active' : ''}>{screens[s]}</a>
          ))}
        </nav>
        <span class="muted info">
          {session.backend === 'pglite' ? 'embedded' : 'PostgreSQL'} {session.serverVersion} · {session.database} as {session.user}
        </span>
        <button class="link" onClick={signOut}>Sign out</button>
      </header>
      <main class="main">
        {screen === 'browse' && <BrowserPage />}
        {screen === 'sql' && <SqlPage session={session} />}
        {screen === 'security' && <SecurityPage session={session} />}
        {screen === 'activity' && <ActivityPage session={session} />}
        {screen === 'designer' && <DesignerPage defaultSchema={session.schemas?.[0] ?? 'public'} />}
        {screen === 'er' && <ErPage defaultSchema={session.schemas?.[0] ?? 'public'} />}
      </main>
    </div>
  );
}
