// The JWT authenticator: Authorization: Bearer <jwt> → { role, claims } as PostgREST does it.
// No token: the anonymous role (or PGRST302). A token: signature (verify.ts), claims (claims.ts),
// the role from jwt-role-claim-key (absent: the anonymous role), then the role guard.
import { errors } from '../../errors/codes.js';
import type { JsPathStep } from '../jspath.js';
import type { RoleGuard } from '../role-guard.js';
import { sharedAuthResult, type Authenticate, type AuthResult } from '../types.js';
import { TokenCache } from './cache.js';
import { Lru } from '../../util/lru.js';
import { parseClaims, roleClaim, validateClaims, type Claims } from './claims.js';
import type { KeySource } from './keys.js';
import { verifyToken } from './verify.js';

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

/** Tokens verified by fixed keys, remembered per verifier (see `verified` below). */
const VERIFIED_TOKENS = 1000;

export function createJwtVerifier(opts: JwtOptions): JwtVerifier {
  const now = opts.now ?? Date.now;
  const cache = new TokenCache<AuthResult>(opts.cacheMaxLifetimeSeconds * 1000);
  // A token verified by a fixed key (jwt-secret as an HS secret, a JWK or a JWKS document: never
  // refreshed) always verifies: its result is kept, and only what can change is checked again on
  // each request — exp, nbf and iat against the clock (validateClaims) and the role guard. Unlike
  // jwt-cache-max-lifetime nothing is skipped, so it needs no setting. Tokens of keys that may
  // change (a JWKS URL, the auth service's rotated keys) are verified every time.
  const verified = new Lru<string, { readonly claims: Claims; readonly result: AuthResult }>(VERIFIED_TOKENS);

  /** The token's validated claims, and whether a fixed key verified it (see `verified`). */
  const verify = async (token: string): Promise<{ claims: Claims; fixed: boolean }> => {
    const { payload, fixed } = await verifyToken(token, opts.sources);
    const c = parseClaims(payload);
    validateClaims(c, opts.audience, Math.floor(now() / 1000));
    return { claims: c, fixed };
  };
  const claims = async (token: string): Promise<Claims> => (await verify(token)).claims;

  // One immutable result for every anonymous request (its claims JSON is then rendered once).
  const anonymous = opts.anonRole === null ? null : sharedAuthResult(opts.anonRole, { role: opts.anonRole }, false);
  const authenticate: Authenticate = async (headers) => {
    const token = bearerToken(headers.authorization);
    if (token === null) {
      if (anonymous === null) throw errors.anonDisabled();
      return anonymous;
    }
    let result = cache.get(token, now());
    const known = result === undefined ? verified.get(token) : undefined;
    if (known !== undefined) {
      validateClaims(known.claims, opts.audience, Math.floor(now() / 1000));
      result = known.result;
    }
    if (!result) {
      const { claims: c, fixed } = await verify(token);
      const role = roleClaim(c, opts.roleClaimPath) ?? opts.anonRole;
      if (role === null) throw errors.anonDisabled();
      // PostgREST always exposes the effective role in request.jwt.claims. A kept result is shared
      // by the token's requests (frozen, so its settings are rendered once).
      const withRole = c.role === role ? c : { ...c, role };
      result = cache.enabled || fixed ? sharedAuthResult(role, withRole, true) : { role, claims: withRole, authenticated: true };
      const exp = typeof c.exp === 'number' ? c.exp * 1000 : null;
      cache.set(token, result, now(), exp);
      if (fixed) verified.set(token, { claims: c, result });
    }
    await opts.guard?.check(result.role);
    return result;
  };

  return { claims, authenticate };
}
