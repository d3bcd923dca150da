// The admin password: the configured admin-password, or one generated at first start whose scrypt
// hash is stored in the database (the embedded data dir) and which is printed once, then never again.
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
  /** Set when this start generated the password: the caller prints it once. */
  readonly generated: string | null;
}

export async function passwordCheck(configured: string | null, store: AdminStore): Promise<PasswordCheck> {
  // Hash the configured password too, so comparing never leaks its length or content through timing.
  let stored = configured !== null ? await hashPassword(configured) : store.available ? await store.setting(hashKey) : null;
  let generated: string | null = null;
  if (stored === null) {
    // Without a store the password lasts until the next start (and is printed again then).
    generated = generatePassword();
    stored = await hashPassword(generated);
    if (store.available) await store.setSetting(hashKey, stored);
  }
  const hash = stored;
  return { verify: (pw) => verifyPassword(pw, hash), generated };
}
