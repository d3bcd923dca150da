// htpasswd lines for Traefik's basicAuth `usersFile`, hashed with bcrypt in Apache's `$2y$` form
// (what `htpasswd -B` writes, and what Traefik's documentation uses; the algorithm is that of `$2b$`).
// Example: htpasswdLine('admin', 'pw') → 'admin:$2y$10$<22-char salt><31-char hash>'
import bcrypt from 'bcryptjs';

export const BCRYPT_COST = 10;

export function htpasswdLine(user: string, password: string): string {
  return `${user}:${bcrypt.hashSync(password, BCRYPT_COST).replace(/^\$2[ab]\$/, '$2y$')}`;
}

/** True when the `user:$2y$...` line belongs to this user and password. */
export function htpasswdMatches(line: string, user: string, password: string): boolean {
  const m = /^([^:]+):\$2[aby]\$(\d\d\$[./0-9A-Za-z]{53})$/.exec(line.trim());
  return m !== null && m[1] === user && m[2] !== undefined && bcrypt.compareSync(password, `$2b$${m[2]}`);
}
