// Checks an admin account's password against its stored hash: argon2id (the auth service's
// hashing, src/auth/service/passwords.ts) or the scrypt hash of the single password the UI had
// before accounts, which is flagged for an upgrade to argon2id.
import { verifyPassword as verifyArgon2, type VerifyResult } from '../../auth/service/passwords.js';
import { verifyPassword as verifyScrypt } from './password.js';

export async function checkPassword(hash: string, password: string): Promise<VerifyResult> {
  if (hash.startsWith('scrypt$')) return { ok: await verifyScrypt(password, hash), rehash: true };
  return verifyArgon2(hash, password);
}
