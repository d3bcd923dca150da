// The built-in auth service: signup, login, refresh (rotation with reuse detection), logout and
// me. Every answer about credentials is the same for unknown users and wrong passwords, costs
// the same time, and passes the rate limiter first. The role comes from the server-side mapping.
import type { Config } from '../../config/config.js';
import type { JwtVerifier } from '../jwt/authenticator.js';
import type { RoleGuard } from '../role-guard.js';
import { authErrors } from './errors.js';
import { hashPassword, verifyDummy, verifyPassword } from './passwords.js';
import type { RateLimiter } from './rate-limit.js';
import type { Signer } from './signing-keys.js';
import type { AuthStore, UserRow } from './store.js';
import { hashRefreshToken, issueAccessToken, newRefreshToken } from './tokens.js';

export interface Credentials {
  readonly email: string;
  readonly password: string;
}

export interface ClientInfo {
  readonly ip: string;
  readonly userAgent: string | null;
}

export interface PublicUser {
  readonly id: string;
  readonly email: string;
  readonly role: string;
  readonly created_at: string;
}

export interface Session {
  readonly access_token: string;
  readonly token_type: 'bearer';
  readonly expires_in: number;
  readonly expires_at: number;
  readonly refresh_token: string;
  readonly user: PublicUser;
}

export interface AuthServiceDeps {
  readonly config: Config;
  readonly store: AuthStore;
  readonly signer: Signer;
  readonly limiter: RateLimiter;
  readonly guard: RoleGuard;
  readonly verifier: JwtVerifier;
  /** Login/refresh/signup outcomes for the logs and metrics (never a credential). */
  readonly onDecision?: (e: { type: 'auth'; outcome: 'success' | 'failure'; method: string; reason?: string }) => void;
}

const uuidRe = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class AuthService {
  private readonly config: Config;

  constructor(private readonly deps: AuthServiceDeps) {
    this.config = deps.config;
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

  roleOf(user: UserRow): string {
    return user.role ?? this.config.authDefaultRole;
  }

  publicUser(user: UserRow): PublicUser {
    return { id: user.id, email: user.email, role: this.roleOf(user), created_at: new Date(user.created_at).toISOString() };
  }

  private checkIp(ip: string): void {
    const wait = this.deps.limiter.hitIp(ip);
    if (wait > 0) throw authErrors.tooManyRequests(wait);
  }

  /** Validates the password rules for a new password (login accepts whatever was stored). */
  private checkNewPassword(password: string): void {
    if (password.length < this.config.authPasswordMinLength) {
      throw authErrors.invalidBody(`password must be at least ${this.config.authPasswordMinLength} characters long`);
    }
  }

  /** `callerRole`: the role of the caller's access token, when one was sent (administrators). */
  async signup(creds: Credentials, requestedRole: string | null, callerRole: string | null, client: ClientInfo): Promise<{ user: PublicUser; session: Session | null }> {
    this.checkIp(client.ip);
    const mode = this.config.authSignup;
    const isAdmin = callerRole !== null && this.config.authAdminRole !== null && callerRole === this.config.authAdminRole;
    if (mode === 'disabled' && !isAdmin) throw authErrors.signupDisabled();
    if (mode === 'admin-only' && !isAdmin) throw authErrors.signupAdminOnly();
    if (requestedRole !== null && !isAdmin) throw authErrors.invalidBody("only an administrator may set 'role'");
    if (requestedRole !== null && !this.mappedRoles.includes(requestedRole)) throw authErrors.roleNotAllowed(requestedRole);
    this.checkNewPassword(creds.password);
    const role = requestedRole === this.config.authDefaultRole ? null : requestedRole;
    await this.mintableRole(role ?? this.config.authDefaultRole);
    const user = await this.deps.store.createUser(creds.email, await hashPassword(creds.password), role);
    if (!user) throw authErrors.emailTaken();
    // An administrator creates an account for someone else: no session for the caller.
    return { user: this.publicUser(user), session: isAdmin ? null : await this.startSession(user, client) };
  }

  async login(creds: Credentials, client: ClientInfo): Promise<Session> {
    this.checkIp(client.ip);
    const limiter = this.deps.limiter;
    const wait = limiter.accountWait(creds.email);
    if (wait > 0) throw authErrors.tooManyRequests(wait);
    const user = await this.deps.store.userByEmail(creds.email);
    if (!user) {
      await verifyDummy(creds.password);
      limiter.failure(creds.email);
      this.decided('password', 'failure', 'unknown user');
      throw authErrors.invalidCredentials();
    }
    const v = await verifyPassword(user.password_hash, creds.password);
    if (!v.ok) {
      limiter.failure(creds.email);
      this.decided('password', 'failure', 'wrong password');
      throw authErrors.invalidCredentials();
    }
    limiter.success(creds.email);
    this.decided('password', 'success');
    // bcrypt (imported) or outdated argon2 parameters: upgrade now that we know the password.
    if (v.rehash) await this.deps.store.setPasswordHash(user.id, await hashPassword(creds.password));
    return this.startSession(user, client);
  }

  async refresh(refreshToken: string, client: ClientInfo): Promise<Session> {
    this.checkIp(client.ip);
    const next = newRefreshToken();
    const outcome = await this.deps.store.rotate(hashRefreshToken(refreshToken), next.hash, this.refreshExpiry());
    if (outcome.kind !== 'ok') this.decided('refresh', 'failure', outcome.kind === 'reused' ? 'reused refresh token: session revoked' : 'invalid refresh token');
    if (outcome.kind === 'reused') throw authErrors.refreshTokenReused();
    if (outcome.kind === 'invalid') throw authErrors.invalidRefreshToken();
    this.decided('refresh', 'success');
    return this.session(outcome.user, outcome.sessionId, next.token);
  }

  /** Ends the session of an access token or of a refresh token. */
  async logout(accessToken: string | null, refreshToken: string | null): Promise<void> {
    let sessionId: string | null = null;
    if (accessToken !== null) {
      const claims = await this.deps.verifier.claims(accessToken);
      sessionId = typeof claims.session_id === 'string' && uuidRe.test(claims.session_id) ? claims.session_id : null;
    } else if (refreshToken !== null) {
      sessionId = await this.deps.store.sessionOfToken(hashRefreshToken(refreshToken));
    }
    if (sessionId === null) throw accessToken === null && refreshToken === null ? authErrors.notAuthenticated() : authErrors.invalidRefreshToken();
    await this.deps.store.revokeSession(sessionId, 'logout');
  }

  async me(accessToken: string): Promise<PublicUser & { session_id: string }> {
    const claims = await this.deps.verifier.claims(accessToken);
    const sub = claims.sub;
    const sid = claims.session_id;
    if (typeof sub !== 'string' || typeof sid !== 'string' || !uuidRe.test(sub) || !uuidRe.test(sid)) throw authErrors.sessionEnded();
    if (!(await this.deps.store.sessionActive(sid, sub))) throw authErrors.sessionEnded();
    const user = await this.deps.store.userById(sub);
    if (!user) throw authErrors.sessionEnded();
    return { ...this.publicUser(user), session_id: sid };
  }

  private refreshExpiry(): Date {
    return new Date(Date.now() + this.config.authRefreshTokenLifetime * 1000);
  }

  /** Refuses roles that would bypass RLS, or that requests could not switch to anyway. */
  private async mintableRole(role: string): Promise<void> {
    try {
      await this.deps.guard.check(role);
    } catch {
      throw authErrors.privilegedRole(role);
    }
    if (!this.deps.guard.facts(role)) throw authErrors.privilegedRole(role);
  }

  private async startSession(user: UserRow, client: ClientInfo): Promise<Session> {
    await this.mintableRole(this.roleOf(user));
    const refresh = newRefreshToken();
    const sessionId = await this.deps.store.createSession(user.id, refresh.hash, this.refreshExpiry(), client.userAgent, client.ip);
    return this.session(user, sessionId, refresh.token);
  }

  private async session(user: UserRow, sessionId: string, refreshToken: string): Promise<Session> {
    const role = this.roleOf(user);
    await this.mintableRole(role);
    const lifetime = this.config.authAccessTokenLifetime;
    const access = await issueAccessToken(this.deps.signer, { sub: user.id, role, email: user.email, session_id: sessionId },
      this.config.jwtAud ?? 'pesquel', lifetime);
    return {
      access_token: access.token, token_type: 'bearer', expires_in: lifetime, expires_at: access.expiresAt,
      refresh_token: refreshToken, user: this.publicUser(user),
    };
  }
}
