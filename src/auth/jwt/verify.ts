// Checks a compact JWS against the configured keys, with PostgREST's PGRST301 messages:
// parts count, algorithm, key selection by `kid` (refreshing the sources once on an unknown
// kid) and the signature. Returns the payload text; claims are validated in claims.ts.
import { compactVerify, importJWK, type JWK } from 'jose';
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { errors } from '../../errors/codes.js';
import { isFixedKey, keyFits, supportedAlgs, type KeySource, type VerifyKey } from './keys.js';

export const decodeMessages = {
  empty: 'Empty JWT is sent in Authorization header',
  parts: (n: number) => `Expected 3 parts in JWT; got ${n}`,
  key: 'No suitable key or wrong key type',
  alg: 'Wrong or unsupported encoding algorithm',
  crypto: 'JWT cryptographic operation failed',
} as const;

type Imported = Awaited<ReturnType<typeof importJWK>>;
const imported = new WeakMap<VerifyKey, Map<string, Promise<Imported>>>();

/** The key in the form jose wants for `alg` (CryptoKeys are bound to one algorithm; cached). */
// HS secrets become a KeyObject once: handing jose the raw bytes makes it import them on every call.
const secretKeys = new WeakMap<Uint8Array, KeyObject>();

function importFor(key: VerifyKey, alg: string): Promise<Imported> | KeyObject {
  if (key.material instanceof Uint8Array) {
    let k = secretKeys.get(key.material);
    if (!k) secretKeys.set(key.material, (k = createSecretKey(key.material)));
    return k;
  }
  let byAlg = imported.get(key);
  if (!byAlg) imported.set(key, (byAlg = new Map()));
  let p = byAlg.get(alg);
  if (!p) byAlg.set(alg, (p = importJWK(key.material as JWK, alg)));
  return p;
}

const base64url = /^[A-Za-z0-9_-]*$/;

/**
 * HS256/384/512 with node:crypto: an HMAC and a constant-time comparison, about 15× cheaper than
 * jose's WebCrypto path on every authenticated request. The signature must be the canonical
 * unpadded base64url of the HMAC and the payload strict base64url (Buffer's decoder would skip
 * stray characters). Returns the payload text, or null when the signature does not match.
 */
function verifyHmac(token: string, key: KeyObject, alg: string): string | null {
  const dot1 = token.indexOf('.');
  const dot2 = token.lastIndexOf('.');
  const expected = Buffer.from(createHmac(`sha${alg.slice(2)}`, key).update(token.slice(0, dot2)).digest('base64url'));
  const given = Buffer.from(token.slice(dot2 + 1));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const payload = token.slice(dot1 + 1, dot2);
  if (!base64url.test(payload)) throw errors.jwtDecode(decodeMessages.crypto);
  return Buffer.from(payload, 'base64url').toString('utf8');
}

function header(token: string): { alg: unknown; kid: unknown; crit?: unknown; b64?: unknown } {
  try {
    const h = JSON.parse(Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8')) as unknown;
    if (typeof h !== 'object' || h === null || Array.isArray(h)) throw new Error('not an object');
    return h as { alg: unknown; kid: unknown; crit?: unknown; b64?: unknown };
  } catch {
    throw errors.jwtDecode(decodeMessages.crypto);
  }
}

async function candidates(sources: readonly KeySource[], kid: string | null): Promise<VerifyKey[]> {
  const all = (await Promise.all(sources.map((s) => s.keys()))).flat();
  // A token's kid selects keys with that kid; keys without a kid (an HS secret) stay eligible.
  return kid === null ? all : all.filter((k) => k.kid === null || k.kid === kid);
}

/** Verifies the signature; returns the payload bytes as text. Throws PGRST301 ApiErrors. */
export async function verifySignature(token: string, sources: readonly KeySource[]): Promise<string> {
  return (await verifyToken(token, sources)).payload;
}

/**
 * verifySignature, also telling whether the key that verified the token belongs to a fixedSource
 * (then the token verifies the same way for as long as the sources are in use).
 */
export async function verifyToken(token: string, sources: readonly KeySource[]): Promise<{ payload: string; fixed: boolean }> {
  if (token === '') throw errors.jwtDecode(decodeMessages.empty);
  const parts = token.split('.').length;
  if (parts !== 3) throw errors.jwtDecode(decodeMessages.parts(parts));
  const h = header(token);
  const alg = typeof h.alg === 'string' ? h.alg : '';
  if (!supportedAlgs.has(alg)) throw errors.jwtDecode(decodeMessages.alg);
  const kid = typeof h.kid === 'string' ? h.kid : null;

  let keys = await candidates(sources, kid);
  if (kid !== null && !keys.some((k) => k.kid === kid)) {
    // Unknown kid: the issuer may have rotated its keys since we last looked.
    const refreshed = await Promise.all(sources.map((s) => s.refresh()));
    if (refreshed.some(Boolean)) keys = await candidates(sources, kid);
  }
  const fitting = keys.filter((k) => keyFits(k, alg));
  if (fitting.length === 0) throw errors.jwtDecode(decodeMessages.key);
  // Headers that change how the signature is computed (crit, b64) stay with jose, which checks them.
  const plainHmac = alg.startsWith('HS') && h.crit === undefined && h.b64 === undefined;
  for (const key of fitting) {
    if (plainHmac && key.material instanceof Uint8Array) {
      const payload = verifyHmac(token, importFor(key, alg) as KeyObject, alg);
      if (payload !== null) return { payload, fixed: isFixedKey(key) };
      continue;
    }
    try {
      const { payload } = await compactVerify(token, await importFor(key, alg), { algorithms: [alg] });
      return { payload: new TextDecoder().decode(payload), fixed: isFixedKey(key) };
    } catch {
      // Try the next key: a JWKS without kids is searched key by key.
    }
  }
  throw errors.jwtDecode(decodeMessages.crypto);
}
