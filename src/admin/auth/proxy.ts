// What the browser sees when PeSquel sits behind a reverse proxy (Traefik, Caddy, nginx): the
// scheme and host from X-Forwarded-Proto/Host (first value), so cookies get Secure under https and
// the Origin check compares against the public origin, not the container's address.
import type { IncomingMessage } from 'node:http';

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.split(',')[0]?.trim() || undefined;

export function publicOrigin(req: IncomingMessage): { proto: 'http' | 'https'; host: string; origin: string } {
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  const fwdProto = first(req.headers['x-forwarded-proto'])?.toLowerCase();
  const proto = fwdProto === 'https' || (fwdProto === undefined && encrypted) ? 'https' : 'http';
  const host = first(req.headers['x-forwarded-host']) ?? first(req.headers.host) ?? 'localhost';
  return { proto, host, origin: `${proto}://${host}` };
}

/** The cookie's value; undefined when absent or not decodable (`%zz`): treated as no session. */
export function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export function sessionCookie(name: string, value: string, secure: boolean, maxAgeSeconds: number): string {
  return `${name}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

/**
 * A request from a page of another origin is refused. Browsers send Origin on every POST; a
 * request without one (curl, tests) is judged by the CSRF token alone.
 */
export function sameOrigin(req: IncomingMessage): boolean {
  const origin = first(req.headers.origin);
  if (origin === undefined) return true;
  return origin.toLowerCase() === publicOrigin(req).origin.toLowerCase();
}
