// The guard every non-public admin route passes (server.ts): the session's account is re-read
// (at once for a change, at most every few seconds for a read), so a removed account is signed out
// and a role change applies everywhere; then the route's role is checked (roles.ts).
import { AdminError } from '../errors.js';
import type { AdminDeps } from '../deps.js';
import type { Route } from '../http-kit.js';
import type { Session } from './sessions.js';
import { assertRole, neededRole } from './roles.js';

const readRecheckMs = 5_000;

export async function guard(d: Pick<AdminDeps, 'accounts' | 'sessions'>, session: Session, route: Route): Promise<void> {
  const u = session.user;
  if (!u.transient && d.accounts && (route.method !== 'GET' || Date.now() - session.checkedAt > readRecheckMs)) {
    const account = await d.accounts.byId(u.id);
    if (!account) {
      d.sessions.dropUser(u.id);
      throw new AdminError(401, 'signed-out', 'this account no longer exists');
    }
    u.role = account.role;
    session.checkedAt = Date.now();
  }
  assertRole(u.role, neededRole(route));
}
