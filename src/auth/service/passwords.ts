// Password hashing: argon2id (OWASP's parameters: 19 MiB, 2 passes, 1 lane) for new hashes;
// bcrypt hashes imported from elsewhere are verified and flagged for an upgrade. A dummy hash
// is verified for unknown users so that they cost the same time as a wrong password.
// @node-rs/argon2 ships a prebuilt binary per platform without an install script; the C addon
// `argon2`'s prebuilt binary crashed on load on Debian 12 / Node 20 (segmentation fault).
import { hash as argon2Hash, verify as argon2Verify, type Algorithm } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';

// Algorithm.Argon2id: the package declares a const enum, which verbatimModuleSyntax cannot read.
const argon2id = 2 satisfies Algorithm;
const params = { algorithm: argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** True for argon2id hashes with weaker (or other) parameters than `params`: PHC `$argon2id$v=19$m=…,t=…,p=…$` in any order. */
function needsRehash(hash: string): boolean {
  const m = /^\$argon2id\$v=19\$([^$]+)\$/.exec(hash);
  if (!m) return true;
  const got = Object.fromEntries((m[1] as string).split(',').map((kv) => kv.split('=')));
  return Number(got.m) !== params.memoryCost || Number(got.t) !== params.timeCost || Number(got.p) !== params.parallelism;
}

export const passwordLimits = { max: 256 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2Hash(password, params);
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
    const ok = await argon2Verify(hash, password);
    return { ok, rehash: ok && needsRehash(hash) };
  } catch {
    return { ok: false, rehash: false };
  }
}

let dummy: Promise<string> | null = null;

/** Spends the time of one verification, for an unknown user. */
export async function verifyDummy(password: string): Promise<void> {
  dummy ??= hashPassword('pesquel-timing-equaliser');
  await argon2Verify(await dummy, password).catch(() => false);
}
