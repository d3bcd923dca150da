// htpasswd lines for Traefik's basicAuth `usersFile`, hashed with Apache's salted MD5 ("$apr1$"),
// the one htpasswd scheme that Node's built-in crypto can compute. The password it protects is 24
// random characters (about 143 bits), so the hash's speed is not what keeps it safe.
// Example: htpasswdLine('admin', 'pw') → 'admin:$apr1$Xy12AbCd$...'
import { createHash, randomBytes } from 'node:crypto';

const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function md5(...parts: Buffer[]): Buffer {
  const h = createHash('md5');
  for (const p of parts) h.update(p);
  return h.digest();
}

function to64(value: number, chars: number): string {
  let out = '';
  for (let v = value, n = chars; n > 0; n--, v >>= 6) out += ITOA64[v & 0x3f];
  return out;
}

function randomSalt(): string {
  return [...randomBytes(8)].map((b) => ITOA64[b & 0x3f]).join('');
}

/** Apache's MD5-crypt of `password` with `salt` (at most 8 characters are used). */
export function apr1(password: string, salt = randomSalt()): string {
  const pw = Buffer.from(password, 'utf8');
  const s = Buffer.from(salt.slice(0, 8), 'utf8');
  const magic = Buffer.from('$apr1$');
  const alt = md5(pw, s, pw);
  const ctx = createHash('md5').update(pw).update(magic).update(s);
  for (let i = pw.length; i > 0; i -= 16) ctx.update(alt.subarray(0, Math.min(16, i)));
  for (let i = pw.length; i > 0; i >>= 1) ctx.update(i & 1 ? Buffer.alloc(1) : pw.subarray(0, 1));
  let final: Buffer = ctx.digest();
  for (let i = 0; i < 1000; i++) {
    const parts: Buffer[] = [i & 1 ? pw : final];
    if (i % 3) parts.push(s);
    if (i % 7) parts.push(pw);
    parts.push(i & 1 ? final : pw);
    final = md5(...parts);
  }
  const b = (i: number): number => final[i] ?? 0;
  const encoded =
    to64((b(0) << 16) | (b(6) << 8) | b(12), 4) +
    to64((b(1) << 16) | (b(7) << 8) | b(13), 4) +
    to64((b(2) << 16) | (b(8) << 8) | b(14), 4) +
    to64((b(3) << 16) | (b(9) << 8) | b(15), 4) +
    to64((b(4) << 16) | (b(10) << 8) | b(5), 4) +
    to64(b(11), 2);
  return `$apr1$${s.toString('utf8')}$${encoded}`;
}

export function htpasswdLine(user: string, password: string): string {
  return `${user}:${apr1(password)}`;
}

/** True when the `user:$apr1$salt$hash` line belongs to this user and password. */
export function htpasswdMatches(line: string, user: string, password: string): boolean {
  const m = /^([^:]+):\$apr1\$([^$]{1,8})\$([./0-9A-Za-z]{22})$/.exec(line.trim());
  return m !== null && m[1] === user && `${user}:${apr1(password, m[2])}` === line.trim();
}
