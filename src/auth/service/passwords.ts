// Password hashing: argon2id (OWASP's parameters: 19 MiB, 2 passes, 1 lane) for new hashes;
// bcrypt hashes imported from elsewhere are verified and flagged for an upgrade. A dummy hash
// is verified for unknown users so that they cost the same time as a wrong password.
import argon2 from 'argon2';
import bcrypt from 'bcryptjs';

const params = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const passwordLimits = { max: 256 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, params);
}

const isBcrypt = (hash: string) => /^\$2[abxy]\$\d\d\$/.test(hash);

export interface VerifyResult {
  readonly ok: boolean;
  /** The hash is bcrypt or weaker argon2 parameters: store a fresh argon2id hash. */
  readonly rehash: boolean;
}

export async function verifyPassword(hash: string, password: string): Promise<VerifyResult> {
  if (isBcrypt(hash)) {
    // bcrypt only reads the first 72 bytes; the length limit keeps that from mattering much.
    return { ok: await bcrypt.compare(password, hash), rehash: true };
  }
  if (!hash.startsWith('$argon2')) return { ok: false, rehash: false };
  try {
    const ok = await argon2.verify(hash, password);
    return { ok, rehash: ok && argon2.needsRehash(hash, params) };
  } catch {
    return { ok: false, rehash: false };
  }
}

let dummy: Promise<string> | null = null;

/** Spends the time of one verification, for an unknown user. */
export async function verifyDummy(password: string): Promise<void> {
  dummy ??= hashPassword('pesquel-timing-equaliser');
  await argon2.verify(await dummy, password).catch(() => false);
}
