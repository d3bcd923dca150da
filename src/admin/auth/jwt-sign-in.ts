// Sign-in with a token of the issuer the API trusts (jwt-secret: a secret, a JWK(S) or an OIDC
// provider's JWKS URL): the token is verified exactly as the API verifies it (signature, exp, nbf,
// jwt-aud), must expire, and the claim at admin-jwt-claim (e.g. `.email`) must name an existing
// admin account, whose role then applies. Off unless admin-jwt-claim is set.
import { ConfigError, type Config } from '../../config/config.js';
import { JsPathError, parseJsPath } from '../../auth/jspath.js';
import { createJwtVerifier } from '../../auth/jwt/authenticator.js';
import { roleClaim } from '../../auth/jwt/claims.js';
import { configuredSources } from '../../auth/setup.js';
import { AdminError } from '../errors.js';

/** A verified token's account name (lower-cased), or a 401 AdminError. */
export type TokenAccount = (token: string) => Promise<string>;

export function tokenSignIn(config: Config, warn: (m: string) => void): TokenAccount | null {
  if (config.adminJwtClaim === null) return null;
  if (config.jwtSecret === null) throw new ConfigError('admin-jwt-claim', 'needs jwt-secret: the issuer whose tokens may sign in');
  let path;
  try {
    path = parseJsPath(config.adminJwtClaim);
  } catch (err) {
    if (err instanceof JsPathError) throw new ConfigError('admin-jwt-claim', err.message);
    throw err;
  }
  const verifier = createJwtVerifier({
    sources: configuredSources(config, warn), audience: config.jwtAud, roleClaimPath: path, anonRole: null, cacheMaxLifetimeSeconds: 0, guard: null,
  });
  return async (token) => {
    let claims;
    try {
      claims = await verifier.claims(token);
    } catch (err) {
      throw new AdminError(401, 'bad-token', `the token was refused: ${(err as Error).message}`);
    }
    // A token that never expires would be a password that cannot be changed.
    if (typeof claims.exp !== 'number') throw new AdminError(401, 'bad-token', 'the token has no exp claim');
    const name = roleClaim(claims, path);
    if (!name) throw new AdminError(401, 'bad-token', `the token has no ${config.adminJwtClaim} claim`);
    return name.trim().toLowerCase();
  };
}
