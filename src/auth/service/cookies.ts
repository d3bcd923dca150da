// Cookie mode for browsers: the refresh token travels in an httpOnly, SameSite cookie scoped to
// /auth, so page scripts never see it; the short-lived access token stays in the JSON body and
// goes out as Authorization: Bearer (no ambient credential for API requests, hence no CSRF).

export const refreshCookieName = 'pesquel_refresh';

export interface CookieOptions {
  readonly secure: boolean;
  readonly sameSite: 'strict' | 'lax';
}

export function refreshCookie(token: string, maxAgeSeconds: number, o: CookieOptions): string {
  return [
    `${refreshCookieName}=${token}`, 'Path=/auth', `Max-Age=${maxAgeSeconds}`, 'HttpOnly',
    `SameSite=${o.sameSite === 'strict' ? 'Strict' : 'Lax'}`, ...(o.secure ? ['Secure'] : []),
  ].join('; ');
}

export function clearRefreshCookie(o: CookieOptions): string {
  return refreshCookie('', 0, o);
}
