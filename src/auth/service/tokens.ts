// Tokens the auth service issues: short-lived access JWTs in PostgREST's claim layout, and opaque
// refresh tokens (256 random bits) of which only a SHA-256 hash is stored.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Signer } from './signing-keys.js';

export interface AccessClaims {
  readonly sub: string;
  readonly role: string;
  readonly email: string;
  readonly session_id: string;
}

export interface IssuedAccess {
  readonly token: string;
  readonly expiresAt: number;
}

/** `{sub, role, aud, iat, exp, jti, email, session_id}`, signed with the current key. */
export async function issueAccessToken(signer: Signer, c: AccessClaims, audience: string, lifetimeSeconds: number, nowMs = Date.now()): Promise<IssuedAccess> {
  const iat = Math.floor(nowMs / 1000);
  const exp = iat + lifetimeSeconds;
  const token = await signer.sign({
    sub: c.sub, role: c.role, aud: audience, iat, exp, jti: randomUUID(), email: c.email, session_id: c.session_id,
  });
  return { token, expiresAt: exp };
}

export function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
