// SCRAM-SHA-256 secrets in PostgreSQL's format (RFC 5802/7677), shared by pgBouncer's userlist and
// the `authenticator` role so that pgBouncer can pass SCRAM logins through to PostgreSQL.
// Example: scramSecret('pw') → 'SCRAM-SHA-256$4096:<salt b64>$<StoredKey b64>:<ServerKey b64>'
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

export const SCRAM_ITERATIONS = 4096; // PostgreSQL's default (scram_iterations)

/** The password must be ASCII: PeSquel generates letters and digits, so SASLprep changes nothing. */
export function scramSecret(password: string, salt = randomBytes(16), iterations = SCRAM_ITERATIONS): string {
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

const FORMAT = /^SCRAM-SHA-256\$(\d+):([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)$/;

/** True when `secret` was made from `password` (same salt and iterations give the same keys). */
export function scramMatches(secret: string, password: string): boolean {
  const m = FORMAT.exec(secret.trim());
  if (!m || m[1] === undefined || m[2] === undefined) return false;
  const iterations = Number(m[1]);
  if (!Number.isSafeInteger(iterations) || iterations < 1 || iterations > 10_000_000) return false;
  const expected = Buffer.from(scramSecret(password, Buffer.from(m[2], 'base64'), iterations));
  const actual = Buffer.from(secret.trim());
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
