// Verification keys: the jwt-secret setting (HS secret, JWK or JWKS) turned into keys, which
// algorithm each key may verify, and the KeySource interface shared with JWKS URLs and the
// auth service's own signing keys.
import type { JWK } from 'jose';

export interface VerifyKey {
  readonly kid: string | null;
  readonly kty: string;
  readonly crv: string | null;
  /** The JWK's own `alg`, when it restricts the key to one algorithm. */
  readonly alg: string | null;
  /** HS secret bytes (kty oct) or a public JWK. */
  readonly material: Uint8Array | JWK;
}

export interface KeySource {
  keys(): Promise<readonly VerifyKey[]>;
  /** Reloads after an unknown `kid`; false when the source can't or may not refresh now. */
  refresh(): Promise<boolean>;
}

export const supportedAlgs: ReadonlySet<string> = new Set([
  'HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA',
]);

const ecCurves: Readonly<Record<string, string>> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' };

/** Whether `key` may verify a token signed with `alg` (kty, curve and the key's own alg). */
export function keyFits(key: VerifyKey, alg: string): boolean {
  if (key.alg !== null && key.alg !== alg) return false;
  if (alg.startsWith('HS')) return key.kty === 'oct';
  if (alg.startsWith('RS') || alg.startsWith('PS')) return key.kty === 'RSA';
  if (alg.startsWith('ES')) return key.kty === 'EC' && key.crv === ecCurves[alg];
  if (alg === 'EdDSA') return key.kty === 'OKP' && (key.crv === 'Ed25519' || key.crv === 'Ed448');
  return false;
}

const privateMembers = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth'];

/** A JWK as a verification key; private members are dropped (only the public half verifies). */
export function keyFromJwk(jwk: Record<string, unknown>): VerifyKey {
  const kty = jwk.kty;
  if (typeof kty !== 'string') throw new Error("a JWK needs a 'kty'");
  if (jwk.use !== undefined && jwk.use !== 'sig') throw new Error(`JWK use '${String(jwk.use)}' is not 'sig'`);
  const kid = typeof jwk.kid === 'string' ? jwk.kid : null;
  const alg = typeof jwk.alg === 'string' ? jwk.alg : null;
  if (kty === 'oct') {
    if (typeof jwk.k !== 'string') throw new Error("an oct JWK needs 'k'");
    return { kid, kty, crv: null, alg, material: new Uint8Array(Buffer.from(jwk.k, 'base64url')) };
  }
  if (!['RSA', 'EC', 'OKP'].includes(kty)) throw new Error(`unsupported JWK kty '${kty}'`);
  const pub: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(jwk)) if (!privateMembers.includes(k)) pub[k] = v;
  return { kid, kty, crv: typeof jwk.crv === 'string' ? jwk.crv : null, alg, material: pub as JWK };
}

/** Keys of a JWKS document (`{"keys": [...]}`); keys not meant for signatures are skipped. */
export function keysFromJwks(doc: unknown): VerifyKey[] {
  const list = (doc as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(list)) throw new Error("a JWKS needs a 'keys' array");
  const keys: VerifyKey[] = [];
  for (const k of list) {
    if (typeof k !== 'object' || k === null) continue;
    const jwk = k as Record<string, unknown>;
    if (jwk.use !== undefined && jwk.use !== 'sig') continue;
    try {
      keys.push(keyFromJwk(jwk));
    } catch {
      // A key type we can't use (e.g. an encryption key) must not hide the usable ones.
    }
  }
  return keys;
}

/**
 * The keys of a jwt-secret value that is not a URL: JSON (a JWK or a JWKS) or an HS secret
 * (its bytes, or base64-decoded with jwt-secret-is-base64).
 */
export function staticKeys(secret: string, isBase64: boolean): VerifyKey[] {
  const text = secret.trim();
  if (text.startsWith('{')) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      throw new Error(`not valid JSON: ${(err as Error).message}`, { cause: err });
    }
    if (Array.isArray((doc as { keys?: unknown }).keys)) return keysFromJwks(doc);
    return [keyFromJwk(doc as Record<string, unknown>)];
  }
  const bytes = isBase64 ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
  return [{ kid: null, kty: 'oct', crv: null, alg: null, material: new Uint8Array(bytes) }];
}

// Keys of fixed sources: never refreshed, so a token one of them verified stays verified and the
// authenticator keeps its result (`verified` in authenticator.ts).
const fixedKeys = new WeakSet<VerifyKey>();

/** True for a key of a fixedSource. */
export const isFixedKey = (key: VerifyKey): boolean => fixedKeys.has(key);

/** A fixed set of keys (from the configuration). */
export function fixedSource(keys: readonly VerifyKey[]): KeySource {
  for (const k of keys) fixedKeys.add(k);
  return { keys: async () => keys, refresh: async () => false };
}
