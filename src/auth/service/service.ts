// The built-in auth service: signup, login, refresh (rotation with reuse detection), logout and
// me. Every answer about credentials is the same for unknown users and wrong passwords, costs
// the same time, and passes the rate limiter first. The role comes from the server-side mapping.
import type { Config } from '../../config/config.js';
import type { JwtVerifier } from '../jwt/authenticator.js';
import type { RoleGuard } from '../role-guard.js';
import { authErrors } from './errors.js';
import { hashPassword, verifyDummy, verifyPassword } from './passwords.js';
import type { AddressGate } from './rate-limit.js';
import type { AccountGate } from './account-gate.js';
import { Sessions, type ClientInfo, type PublicUser, type Session } from './sessions.js';
import type { Signer } from './signing-keys.js';
import type { AuthStore } from './store.js';

export type { ClientInfo, PublicUser, Session };

export interface Credentials {
  readonly email: string;
  readonly password: string;
}

export interface AuthServiceDeps {
  readonly config: Config;
  readonly store: AuthStore;
  readonly signer: Signer;
  /** Per-address limits (shared through the database, or in this process on an old init SQL). */
  readonly limiter: AddressGate;
  /** Per-account backoff, reserved before the password is checked (shared through the database). */
  readonly accounts: AccountGate;
  readonly guard: RoleGuard;
  readonly verifier: JwtVerifier;
  /** Login/refresh outcomes for the logs and metrics (never a credential). */
  readonly onDecision?: (e: { type: 'auth'; outcome: 'success' | 'failure'; method: string; reason?: string }) => void;
}

export class AuthService {
  private readonly config: Config;
  private readonly sessions: Sessions;

  constructor(private readonly deps: AuthServiceDeps) {
    this.config = deps.config;
    this.sessions = new Sessions(deps);
  }

  /** Roles a user may be mapped to. */
  get mappedRoles(): readonly string[] {
    return this.config.authRoles ?? [this.config.authDefaultRole];
  }

  /** The request role of a caller's token, by jwt-role-claim-key (PGRST301/303 when it is not valid). */
  async callerRole(token: string): Promise<string> {
    return (await this.deps.verifier.authenticate({ authorization: `Bearer ${token}` })).role;
  }

  private decided(method: string, outcome: 'success' | 'failure', reason?: string): void {
    this.deps.onDecision?.({ type: 'auth', outcome, method, reason });
  }

  private async checkIp(ip: string): Promise<void> {
    const wait = await this.deps.limiter.hit(ip);
    if (wait > 0) throw authErrors.tooManyRequests(wait);
  }

  /** `callerRole`: the role of the caller's access token, when one was sent (administrators). */
  async signup(creds: Credentials, requestedRole: string | null, callerRole: string | null, client: ClientInfo): Promise<{ user: PublicUser; session: Session | null }> {
    await this.checkIp(client.ip);
    const mode = this.config.authSignup;
    const isAdmin = callerRole !== null && this.config.authAdminRole !== null && callerRole === this.config.authAdminRole;
    if (mode === 'disabled' && !isAdmin) throw authErrors.signupDisabled();
    if (mode === 'admin-only' && !isAdmin) throw authErrors.signupAdminOnly();
    if (requestedRole !== null && !isAdmin) throw authErrors.invalidBody("only an administrator may set 'role'");
    if (requestedRole !== null && !this.mappedRoles.includes(requestedRole)) throw authErrors.roleNotAllowed(requestedRole);
    // Login accepts whatever was stored; the rules apply to new passwords.
    if (creds.password.length < this.config.authPasswordMinLength) {
      throw authErrors.invalidBody(`password must be at least ${this.config.authPasswordMinLength} characters long`);
    }
    const role = requestedRole === this.config.authDefaultRole ? null : requestedRole;
    await this.sessions.mintableRole(role ?? this.config.authDefaultRole);
    const user = await this.deps.store.createUser(creds.email, await hashPassword(creds.password), role);
    if (!user) throw authErrors.emailTaken();
    // An administrator creates an account for someone else: no session for the caller.
    return { user: this.sessions.publicUser(user), session: isAdmin ? null : await this.sessions.start(user, client) };
  }

  async login(creds: Credentials, client: ClientInfo): Promise<Session> {
    await this.checkIp(client.ip);
    // The attempt counts as a failure before any hashing: concurrent guesses cannot all pass.
    const wait = await this.deps.accounts.reserve(creds.email);
    if (wait > 0) throw authErrors.tooManyRequests(wait);
    const user = await this.deps.store.userByEmail(creds.email);
    if (!user) {
      await verifyDummy(creds.password);
      this.decided('password', 'failure', 'unknown user');
      throw authErrors.invalidCredentials();
    }
    const v = await verifyPassword(user.password_hash, creds.password);
    if (!v.ok) {
      this.decided('password', 'failure', 'wrong password');
      throw authErrors.invalidCredentials();
    }
    await this.deps.accounts.succeeded(creds.email);
    this.decided('password', 'success');
    // bcrypt (imported) or outdated argon2 parameters: upgrade now that we know the password.
    if (v.rehash) await this.deps.store.setPasswordHash(user.id, await hashPassword(creds.password));
    return this.sessions.start(user, client);
  }

  async refresh(refreshToken: string, client: ClientInfo): Promise<Session> {
    await this.checkIp(client.ip);
    const r = await this.sessions.refresh(refreshToken);
    if ('kind' in r) {
      this.decided('refresh', 'failure', r.kind === 'reused' ? 'reused refresh token: session revoked' : 'invalid refresh token');
      throw r.kind === 'reused' ? authErrors.refreshTokenReused() : authErrors.invalidRefreshToken();
    }
    this.decided('refresh', 'success');
    return r;
  }

  logout(accessToken: string | null, refreshToken: string | null): Promise<void> {
    return this.sessions.end(accessToken, refreshToken);
  }

  me(accessToken: string): Promise<PublicUser & { session_id: string }> {
    return this.sessions.current(accessToken);
  }
}
