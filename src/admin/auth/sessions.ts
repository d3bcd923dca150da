// Signed-in admin sessions, one per sign-in of an account: a random cookie token (only its SHA-256
// is kept) mapped to the account and a CSRF token that every state-changing request must echo in
// X-CSRF-Token. Sessions live in memory: a restart signs everyone out. Idle sessions expire.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AdminStore } from '../store.js';
import type { AdminRole } from './roles.js';

export interface SessionUser {
  readonly id: string;
  readonly email: string;
  role: AdminRole;
  /** Not an account row (no admin store, or the generated password before it was kept): never re-read. */
  readonly transient?: boolean;
}

export interface Session { readonly csrf: string; lastSeen: number; readonly user: SessionUser; checkedAt: number }

const digest = (token: string) => createHash('sha256').update(token).digest('base64url');

export class Sessions {
  private readonly byDigest = new Map<string, Session>();

  constructor(private readonly idleMs = 12 * 3600_000, private readonly now = () => Date.now()) {}

  create(user: SessionUser): { token: string; session: Session } {
    this.sweep();
    const token = randomBytes(32).toString('base64url');
    const session = { csrf: randomBytes(24).toString('base64url'), lastSeen: this.now(), user, checkedAt: this.now() };
    this.byDigest.set(digest(token), session);
    return { token, session };
  }

  get(token: string | undefined): Session | null {
    if (!token) return null;
    const key = digest(token);
    const s = this.byDigest.get(key);
    if (!s) return null;
    if (this.now() - s.lastSeen > this.idleMs) {
      this.byDigest.delete(key);
      return null;
    }
    s.lastSeen = this.now();
    return s;
  }

  delete(token: string | undefined): void {
    if (token) this.byDigest.delete(digest(token));
  }

  /** Signs an account out everywhere (removed, or its role changed by another owner). */
  dropUser(id: string): void {
    for (const [k, s] of this.byDigest) if (s.user.id === id) this.byDigest.delete(k);
  }

  /** A role changed here applies to the account's open sessions at once (other instances re-read it). */
  setRole(id: string, role: AdminRole): void {
    for (const s of this.byDigest.values()) if (s.user.id === id) s.user.role = role;
  }

  private sweep(): void {
    const t = this.now();
    for (const [k, s] of this.byDigest) if (t - s.lastSeen > this.idleMs) this.byDigest.delete(k);
  }
}

export function csrfMatches(session: Session, header: string | undefined): boolean {
  if (!header) return false;
  const a = Buffer.from(session.csrf);
  const b = Buffer.from(header);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Sign-in attempts per client address: an attempt is reserved (counted as a failure) before the
 * password is hashed, so concurrent attempts cannot all pass the check; a success clears the count.
 */
export interface LoginGate {
  /** False when the address has used up its attempts for now. */
  reserve(addr: string): boolean | Promise<boolean>;
  succeed(addr: string): void | Promise<void>;
}

/**
 * At most `max` failed sign-ins per client address per window, in memory: used when the admin
 * store is unavailable (see StoredLoginGate otherwise).
 */
export class LoginLimiter implements LoginGate {
  private readonly failures = new Map<string, { count: number; since: number }>();
  constructor(private readonly max = 10, private readonly windowMs = 60_000, private readonly now = () => Date.now()) {}

  blocked(addr: string): boolean {
    const f = this.failures.get(addr);
    if (!f) return false;
    if (this.now() - f.since > this.windowMs) { this.failures.delete(addr); return false; }
    return f.count >= this.max;
  }

  fail(addr: string): void {
    const f = this.failures.get(addr);
    if (!f || this.now() - f.since > this.windowMs) this.failures.set(addr, { count: 1, since: this.now() });
    else f.count++;
  }

  succeed(addr: string): void { this.failures.delete(addr); }

  /** Checks and counts one attempt in one synchronous step: false when the address must wait. */
  reserve(addr: string): boolean {
    if (this.blocked(addr)) return false;
    this.fail(addr);
    return true;
  }
}

/** The same limit kept in the admin store, so every instance over the database shares it. */
export class StoredLoginGate implements LoginGate {
  private prunedAt = Date.now();

  constructor(
    private readonly store: Pick<AdminStore, 'reserveSignIn' | 'clearSignIns' | 'pruneSignIns'>,
    private readonly max = 10,
    private readonly windowMs = 60_000,
  ) {}

  reserve(addr: string): Promise<boolean> {
    if (Date.now() - this.prunedAt > this.windowMs) {
      this.prunedAt = Date.now();
      void this.store.pruneSignIns(this.windowMs).catch(() => undefined); // a later one tries again
    }
    return this.store.reserveSignIn(addr, this.max, this.windowMs);
  }

  succeed(addr: string): Promise<void> {
    return this.store.clearSignIns(addr);
  }
}
