// "Run as": the settings a transaction needs to act as a role or as the bearer of a JWT, the way
// the API does (role + request.jwt.claims, transaction-local), and the token an API request as a
// role needs. A JWT's claims are used as given for SQL (the admin could set any role anyway);
// API requests pass the token to the API, which verifies it.
import { SignJWT } from 'jose';
import type { Config } from '../config/config.js';
import { AdminError } from './errors.js';

export interface RunAs { readonly role?: string | null; readonly jwt?: string | null }

export function jwtClaims(token: string): Record<string, unknown> {
  const payload = token.split('.')[1];
  try {
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as unknown;
    if (claims && typeof claims === 'object' && !Array.isArray(claims)) return claims as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw new AdminError(400, 'bad-jwt', 'the JWT is not a header.payload.signature token with a JSON object payload');
}

/** The role claim at jwt-role-claim-key (dotted paths such as `.role` or `.app_metadata.role`). */
export function roleClaim(claims: Record<string, unknown>, key: string): string | null {
  let v: unknown = claims;
  for (const part of key.split('.').filter((p) => p !== '')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
  return typeof v === 'string' ? v : null;
}

/** set_config pairs for a transaction: `[['role','api_anon'], ['request.jwt.claims','{…}']]`, or none. */
export function runAsSettings(runAs: RunAs | undefined, config: Config): [string, string][] {
  if (!runAs || (!runAs.role && !runAs.jwt)) return [];
  if (runAs.jwt) {
    const claims = jwtClaims(runAs.jwt.trim());
    const role = roleClaim(claims, config.jwtRoleClaimKey) ?? config.dbAnonRole;
    if (!role) throw new AdminError(400, 'bad-jwt', 'the JWT has no role claim and there is no anonymous role');
    return [['role', role], ['request.jwt.claims', JSON.stringify(claims)]];
  }
  return [['role', runAs.role as string], ['request.jwt.claims', JSON.stringify({ role: runAs.role })]];
}

/** The Authorization header for an API request as a role or JWT; none for the anonymous role. */
export async function apiAuthorization(runAs: RunAs | undefined, config: Config): Promise<string | null> {
  if (runAs?.jwt) return `Bearer ${runAs.jwt.trim()}`;
  if (!runAs?.role || runAs.role === config.dbAnonRole) return null;
  const secret = config.jwtSecret;
  if (!secret || secret.startsWith('{') || /^https?:\/\//.test(secret)) {
    throw new AdminError(400, 'no-jwt-secret', 'to call the API as a role other than the anonymous one, set an HS256 jwt-secret or paste a JWT');
  }
  const key = config.jwtSecretIsBase64 ? Buffer.from(secret, 'base64') : new TextEncoder().encode(secret);
  const token = await new SignJWT({ role: runAs.role }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('5m').sign(key);
  return `Bearer ${token}`;
}
