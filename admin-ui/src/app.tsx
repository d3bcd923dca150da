// The shell: asks the server for the session, shows sign-in (or an invitation) or the screens the
// account's role may use (hash routes, so a reload returns to the same screen), and signs out.
import { useEffect, useState } from 'preact/hooks';
import { get, hasRole, post, setCsrf, setRole, whenSignedOut, type Role, type SessionInfo } from './api';
import { HomePage } from './home';
import { UsersPage } from './users/users-page';
import { InvitePage } from './users/invite-page';
import { AuditPage } from './audit/audit-page';
import { BackupsPage } from './backups/backups-page';
import { Login } from './login';
import { BrowserPage } from './browser/browser-page';
import { SqlPage } from './sql/sql-page';
import { SecurityPage } from './security/security-page';
import { ActivityPage } from './activity/activity-page';
import { DesignerPage } from './designer/designer-page';
import { ErPage } from './er/er-page';

const screens = { home: 'Home', browse: 'Browser', sql: 'SQL', security: 'Roles & security', activity: 'Activity', designer: 'Designer', er: 'ER diagram', backups: 'Backups', audit: 'Audit', users: 'Users' } as const;
type Screen = keyof typeof screens;
/** Screens shown only from a role up (the server refuses the rest anyway). */
const needs: Partial<Record<Screen, Role>> = { designer: 'editor', audit: 'editor', users: 'owner' };
const inviteToken = () => /^#\/invite\/([\w-]+)$/.exec(location.hash)?.[1] ?? null;

const screenOf = (): Screen => {
  const s = location.hash.replace(/^#\/?/, '').split('/')[0] as Screen;
  return s in screens ? s : 'home';
};

export function App() {
  const [session, setSession] = useState<SessionInfo | null>(null);
  const [screen, setScreen] = useState<Screen>(screenOf());

  const accept = (s: SessionInfo) => {
    setCsrf(s.csrf ?? '');
    setRole(s.account?.role);
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
  const invite = inviteToken();
  if (!session.signedIn && invite) return <InvitePage token={invite} onSignedIn={accept} />;
  if (!session.signedIn) return <Login onSignedIn={accept} jwtSignIn={session.jwtSignIn} />;
  const shown = (Object.keys(screens) as Screen[]).filter((s) => hasRole(needs[s] ?? 'viewer'));
  const signOut = async () => {
    await post('/api/logout', {}).catch(() => undefined);
    setSession({ signedIn: false });
  };
  return (
    <div class={`shell role-${session.account?.role ?? 'owner'}`}>
      <header class="top">
        <span class="brand">PeSquel</span>
        <nav>
          {shown.map((s) => (
            <a key={s} href={`#/${s}`} class={s === screen ? 'active' : ''}>{screens[s]}</a>
          ))}
        </nav>
        <span class="muted info">
          {session.backend === 'pglite' ? 'embedded' : 'PostgreSQL'} {session.serverVersion} · {session.database} as {session.user}
        </span>
        {session.account && <span class="account small" title="your admin account and role">{session.account.email} · {session.account.role}</span>}
        <button class="link" onClick={signOut}>Sign out</button>
      </header>
      <main class="main">
        {!shown.includes(screen) && <p class="content muted">Your role ({session.account?.role}) cannot open this screen.</p>}
        {screen === 'home' && <HomePage session={session} />}
        {screen === 'browse' && <BrowserPage />}
        {screen === 'sql' && <SqlPage session={session} />}
        {screen === 'security' && <SecurityPage session={session} />}
        {screen === 'activity' && <ActivityPage session={session} />}
        {screen === 'designer' && shown.includes('designer') && <DesignerPage defaultSchema={session.schemas?.[0] ?? 'public'} />}
        {screen === 'er' && <ErPage defaultSchema={session.schemas?.[0] ?? 'public'} />}
        {screen === 'backups' && <BackupsPage />}
        {screen === 'audit' && shown.includes('audit') && <AuditPage />}
        {screen === 'users' && shown.includes('users') && <UsersPage me={session.account?.email ?? ''} />}
      </main>
    </div>
  );
}
