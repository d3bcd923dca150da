// The JWT authenticator: Authorization: Bearer <jwt> → { role, claims } as PostgREST does it.
// No token: the anonymous role (or PGRST302). A token: signature (verify.ts), claims (claims.ts),
// the role from jwt-role-claim-key (absent: the anonymous role), then the role guard.
import { errors } from '../../errors/codes.js';
import type { JsPathStep } from '../jspath.js';
import type { RoleGuard } from '../role-guard.js';
import { sharedAuthResult, type Authenticate, type AuthResult } from '../types.js';
import { TokenCache } from './cache.js';
import { parseClaims, roleClaim, validateClaims, type Claims } from './claims.js';
import type { KeySource } from './keys.js';
import { verifySignature } from './verify.js';

export interface JwtOptions {
  readonly sources: readonly KeySource[];
  readonly audience: string | null;
  readonly roleClaimPath: readonly JsPathStep[];
  readonly anonRole: string | null;
  readonly cacheMaxLifetimeSeconds: number;
  readonly guard: RoleGuard | null;
  readonly now?: () => number;
}

/** The bearer token of an Authorization header; null without one (other schemes are ignored). */
export function bearerToken(authorization: string | undefined): string | null {
  if (authorization === undefined) return null;
  const m = /^bearer(?:\s+(.*))?$/i.exec(authorization.trim());
  return m ? (m[1] ?? '').trim() : null;
}

export interface JwtVerifier {
  /** Verifies a token into its claims (PGRST301/303 on failure). */
  claims(token: string): Promise<Claims>;
  authenticate: Authenticate;
}

export function createJwtVerifier(opts: JwtOptions): JwtVerifier {
  const now = opts.now ?? Date.now;
  const cache = new TokenCache<AuthResult>(opts.cacheMaxLifetimeSeconds * 1000);

  const claims = async (token: string): Promise<Claims> => {
    const c = parseClaims(await verifySignature(token, opts.sources));
    validateClaims(c, opts.audience, Math.floor(now() / 1000));
    return c;
  };

  // One immutable result for every anonymous request (its claims JSON is then rendered once).
  const anonymous = opts.anonRole === null ? null : sharedAuthResult(opts.anonRole, { role: opts.anonRole }, false);
  const authenticate: Authenticate = async (headers) => {
    const token = bearerToken(headers.authorization);
    if (token === null) {
      if (anonymous === null) throw errors.anonDisabled();
      return anonymous;
    }
    let result = cache.get(token, now());
    if (!result) {
      const c = await claims(token);
      const role = roleClaim(c, opts.roleClaimPath) ?? opts.anonRole;
      if (role === null) throw errors.anonDisabled();
      // PostgREST always exposes the effective role in request.jwt.claims. A cached result is shared
      // by the token's requests.
      const withRole = c.role === role ? c : { ...c, role };
      result = cache.enabled ? sharedAuthResult(role, withRole, true) : { role, claims: withRole, authenticated: true };
      const exp = typeof c.exp === 'number' ? c.exp * 1000 : null;
      cache.set(token, result, now(), exp);
    }
    await opts.guard?.check(result.role);
    return result;
  };

  return { claims, authenticate };
}
