// Sessions of the auth service: opening one (refresh token + access token), rotating its refresh
// token with reuse detection, ending it, and reading it back for /auth/me. Tokens are only issued
// for roles the role guard allows (never a superuser or BYPASSRLS role).
import type { Config } from '../../config/config.js';
import type { JwtVerifier } from '../jwt/authenticator.js';
import type { RoleGuard } from '../role-guard.js';
import { authErrors } from './errors.js';
import type { AuthStore, RefreshOutcome, UserRow } from './store.js';
import type { Signer } from './signing-keys.js';
import { hashRefreshToken, issueAccessToken, newRefreshToken } from './tokens.js';

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

export interface SessionDeps {
  readonly config: Config;
  readonly store: AuthStore;
  readonly signer: Signer;
  readonly guard: RoleGuard;
  readonly verifier: JwtVerifier;
}

const uuidRe = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class Sessions {
  constructor(private readonly deps: SessionDeps) {}

  /** The server-side role mapping: auth.users.role, NULL meaning auth-default-role. */
  roleOf(user: UserRow): string {
    return user.role ?? this.deps.config.authDefaultRole;
  }

  publicUser(user: UserRow): PublicUser {
    return { id: user.id, email: user.email, role: this.roleOf(user), created_at: new Date(user.created_at).toISOString() };
  }

  /** Refuses roles that would bypass RLS, that requests could not switch to, or that don't exist. */
  async mintableRole(role: string): Promise<void> {
    try {
      await this.deps.guard.check(role);
    } catch {
      throw authErrors.privilegedRole(role);
    }
    if (!this.deps.guard.facts(role)) throw authErrors.privilegedRole(role);
  }

  async start(user: UserRow, client: ClientInfo): Promise<Session> {
    await this.mintableRole(this.roleOf(user));
    const refresh = newRefreshToken();
    const sessionId = await this.deps.store.createSession(user.id, refresh.hash, this.refreshExpiry(), client.userAgent, client.ip);
    return this.issue(user, sessionId, refresh.token);
  }

  /** Spends a refresh token; a new session state on success, else why not. */
  async refresh(refreshToken: string): Promise<Session | Exclude<RefreshOutcome, { kind: 'ok' }>> {
    const next = newRefreshToken();
    const outcome = await this.deps.store.rotate(hashRefreshToken(refreshToken), next.hash, this.refreshExpiry());
    return outcome.kind === 'ok' ? this.issue(outcome.user, outcome.sessionId, next.token) : outcome;
  }

  /** Ends the session of an access token or of a refresh token. */
  async end(accessToken: string | null, refreshToken: string | null): Promise<void> {
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

  /** The user and session of an access token, as long as the session is alive. */
  async current(accessToken: string): Promise<PublicUser & { session_id: string }> {
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
    return new Date(Date.now() + this.deps.config.authRefreshTokenLifetime * 1000);
  }

  private async issue(user: UserRow, sessionId: string, refreshToken: string): Promise<Session> {
    const { config } = this.deps;
    const role = this.roleOf(user);
    await this.mintableRole(role);
    const lifetime = config.authAccessTokenLifetime;
    const access = await issueAccessToken(this.deps.signer, { sub: user.id, role, email: user.email, session_id: sessionId },
      config.jwtAud ?? 'pesquel', lifetime);
    return {
      access_token: access.token, token_type: 'bearer', expires_in: lifetime, expires_at: access.expiresAt,
      refresh_token: refreshToken, user: this.publicUser(user),
    };
  }
}
