// Validates a verified JWT's claims as PostgREST v13 does (PGRST303): exp, nbf and iat with a
// 30 s clock skew, aud against jwt-aud; then takes the role from jwt-role-claim-key.
import { errors } from '../../errors/codes.js';
import { roleText, walkJsPath, type JsPathStep } from '../jspath.js';

export const clockSkewSeconds = 30;

export const claimsMessages = {
  parse: 'Parsing claims failed',
  expired: 'JWT expired',
  notYetValid: 'JWT not yet valid',
  issuedInFuture: 'JWT issued at future',
  audience: 'JWT not in audience',
  expNumber: "The JWT 'exp' claim must be a number",
  nbfNumber: "The JWT 'nbf' claim must be a number",
  iatNumber: "The JWT 'iat' claim must be a number",
  audType: "The JWT 'aud' claim must be a string or an array of strings",
} as const;

export type Claims = Record<string, unknown>;

export function parseClaims(payload: string): Claims {
  let v: unknown;
  try {
    v = JSON.parse(payload);
  } catch {
    throw errors.jwtClaims(claimsMessages.parse);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw errors.jwtClaims(claimsMessages.parse);
  return v as Claims;
}

function numeric(claims: Claims, name: 'exp' | 'nbf' | 'iat', message: string): number | null {
  const v = claims[name];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw errors.jwtClaims(message);
  return v;
}

/** Throws PGRST303 when the claims are not valid at `nowSeconds` for `audience`. */
export function validateClaims(claims: Claims, audience: string | null, nowSeconds: number): void {
  const exp = numeric(claims, 'exp', claimsMessages.expNumber);
  const nbf = numeric(claims, 'nbf', claimsMessages.nbfNumber);
  const iat = numeric(claims, 'iat', claimsMessages.iatNumber);
  if (exp !== null && nowSeconds - clockSkewSeconds > exp) throw errors.jwtClaims(claimsMessages.expired);
  if (nbf !== null && nowSeconds + clockSkewSeconds < nbf) throw errors.jwtClaims(claimsMessages.notYetValid);
  if (iat !== null && nowSeconds + clockSkewSeconds < iat) throw errors.jwtClaims(claimsMessages.issuedInFuture);

  const aud = claims.aud;
  let auds: string[];
  if (aud === undefined || aud === null) auds = [];
  else if (typeof aud === 'string') auds = [aud];
  else if (Array.isArray(aud) && aud.every((a) => typeof a === 'string')) auds = aud as string[];
  else throw errors.jwtClaims(claimsMessages.audType);
  // An absent, null or empty aud is accepted whatever jwt-aud says (PostgREST does the same).
  if (audience !== null && auds.length > 0 && !auds.includes(audience)) throw errors.jwtClaims(claimsMessages.audience);
}

/** The role claim as text (PostgREST's `unquoted`), or null when the path finds nothing. */
export function roleClaim(claims: Claims, path: readonly JsPathStep[]): string | null {
  const v = walkJsPath(claims, path);
  return v === undefined ? null : roleText(v);
}
