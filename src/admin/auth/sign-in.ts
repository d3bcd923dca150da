// Checks a sign-in (account name and password) into the session's user. Without an account name
// the owner `admin` is meant: the single password of older versions keeps working as it was.
// Unknown accounts cost the same time as a wrong password.
import { hashPassword, passwordLimits, verifyDummy } from '../../auth/service/passwords.js';
import type { AdminDeps } from '../deps.js';
import { legacyOwner, normalEmail } from '../users/accounts.js';
import { checkPassword } from './hashes.js';
import { verifyPassword as verifyScrypt } from './password.js';
import type { SessionUser } from './sessions.js';

const transientOwner: SessionUser = { id: '', email: legacyOwner, role: 'owner', transient: true };

export async function authenticate(d: Pick<AdminDeps, 'accounts' | 'owner' | 'password'>, login: unknown, password: unknown): Promise<SessionUser | null> {
  if (typeof password !== 'string' || password === '' || password.length > passwordLimits.max) return null;
  const email = login === undefined || login === null || login === '' ? legacyOwner : normalEmail(login);
  if (!d.accounts) return email === legacyOwner && d.password && (await d.password.verify(password)) ? { ...transientOwner } : null;
  const account = await d.accounts.find(email);
  if (!account?.hash) {
    const pending = email === legacyOwner && !account ? d.owner.pendingHash() : null;
    if (pending !== null) return (await verifyScrypt(password, pending)) ? { ...transientOwner } : null;
    await verifyDummy(password);
    return null;
  }
  const r = await checkPassword(account.hash, password);
  if (!r.ok) return null;
  if (r.rehash) await d.accounts.setPassword(email, await hashPassword(password));
  return { id: account.id, email: account.email, role: account.role };
}
