// The single admin password of versions before accounts, kept for two uses: verifying its stored
// scrypt hash (the upgrade to the owner account admin, users/bootstrap.ts) and signing in without
// an admin store (the configured admin-password, or one generated per start). Accounts use argon2id.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { AdminStore } from '../store.js';

const scryptAsync = promisify(scrypt) as (pw: string, salt: Buffer, len: number) => Promise<Buffer>;
const hashKey = 'password_hash';

/** `scrypt$<salt b64>$<hash b64>` */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, 32);
  return `scrypt$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length);
  return timingSafeEqual(actual, expected);
}

export const generatePassword = () => randomBytes(18).toString('base64url');

export interface PasswordCheck {
  verify(password: string): Promise<boolean>;
  /** Set when this start generated the password: the caller shows it, then calls keep(). */
  readonly generated: string | null;
  /**
   * Stores the generated password's hash. Called only once the password has been shown, so that a
   * start that fails before its banner never leaves a password nobody has seen.
   */
  keep(): Promise<void>;
}

export async function passwordCheck(configured: string | null, store: AdminStore): Promise<PasswordCheck> {
  if (configured !== null) {
    // Hash the configured password too, so comparing never leaks its length or content through timing.
    const hash = await hashPassword(configured);
    return { verify: (pw) => verifyPassword(pw, hash), generated: null, keep: async () => undefined };
  }
  let current = store.available ? await store.setting(hashKey) : null;
  let generated: string | null = null;
  let unkept: string | null = null;
  if (current === null) {
    // Without a store the password lasts until the next start (and is printed again then).
    generated = generatePassword();
    current = unkept = await hashPassword(generated);
  }
  return {
    generated,
    keep: async () => {
      if (unkept !== null && store.available) await store.setSetting(hashKey, unkept);
      unkept = null;
    },
    // The stored hash is read at each sign-in, so `pesquel admin reset-password` applies at once.
    verify: async (pw) => {
      const stored = store.available ? await store.setting(hashKey).catch(() => null) : null;
      if (stored !== null) current = stored;
      return verifyPassword(pw, current as string);
    },
  };
}
