// The guard every non-public admin route passes (server.ts): the session's account is re-read
// (at once for a change, at most every few seconds for a read), so a removed account is signed out
// and a role change applies everywhere; then the route's role is checked (roles.ts).
import { AdminError } from '../errors.js';
import type { AdminDeps } from '../deps.js';
import type { Route } from '../http-kit.js';
import type { Session } from './sessions.js';
import { assertRole, neededRole } from './roles.js';

const readRecheckMs = 5_000;

/** Re-reads the session's account now (`force`) or when its last read is stale; false when it is gone. */
export async function refreshUser(d: Pick<AdminDeps, 'accounts' | 'sessions'>, session: Session, force: boolean): Promise<boolean> {
  const u = session.user;
  if (u.transient || !d.accounts || (!force && Date.now() - session.checkedAt <= readRecheckMs)) return true;
  const account = await d.accounts.byId(u.id);
  if (!account) {
    d.sessions.dropUser(u.id);
    return false;
  }
  u.role = account.role;
  session.checkedAt = Date.now();
  return true;
}

export async function guard(d: Pick<AdminDeps, 'accounts' | 'sessions'>, session: Session, route: Route): Promise<void> {
  if (!(await refreshUser(d, session, route.method !== 'GET'))) throw new AdminError(401, 'signed-out', 'this account no longer exists');
  assertRole(session.user.role, neededRole(route));
}
