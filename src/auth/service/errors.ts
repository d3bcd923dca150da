// Errors of the built-in auth service (/auth/*), in PostgREST's shape with PeSquel's own
// PSQA codes (PostgREST has no auth endpoints, so no PGRST code fits). docs/auth.md lists them.
import { ApiError } from '../../errors/api-error.js';

const e = (code: string, status: number, message: string, details: string | null = null, headers?: Record<string, string>) =>
  new ApiError({ code, status, message, details, hint: null, headers });

export const authErrors = {
  invalidBody: (details: string) => e('PSQA01', 400, 'Invalid request body', details),
  /** The same answer for an unknown email and a wrong password. */
  invalidCredentials: () => e('PSQA02', 400, 'Invalid login credentials'),
  signupDisabled: () => e('PSQA03', 403, 'Signups are disabled'),
  signupAdminOnly: () => e('PSQA03', 403, 'Signups are restricted to administrators', 'Send an access token of the auth-admin-role.'),
  emailTaken: () => e('PSQA04', 409, 'A user with this email address already exists'),
  invalidRefreshToken: () => e('PSQA05', 401, 'Invalid refresh token', null, { 'WWW-Authenticate': 'Bearer error="invalid_token"' }),
  refreshTokenReused: () =>
    e('PSQA05', 401, 'Invalid refresh token', 'The refresh token was already used; the session has been revoked.', { 'WWW-Authenticate': 'Bearer error="invalid_token"' }),
  tooManyRequests: (seconds: number) => e('PSQA06', 429, 'Too many requests', `Retry after ${seconds} seconds.`, { 'Retry-After': String(seconds) }),
  notAuthenticated: () => e('PSQA07', 401, 'Not authenticated', 'Send the access token: Authorization: Bearer <token>.', { 'WWW-Authenticate': 'Bearer' }),
  sessionEnded: () => e('PSQA07', 401, 'Session ended', 'The session was logged out or revoked; log in again.', { 'WWW-Authenticate': 'Bearer error="invalid_token"' }),
  privilegedRole: (role: string) =>
    e('PSQA08', 500, `Refusing to issue a token for role "${role}"`, 'The role is a superuser, has BYPASSRLS, does not exist or may not be switched to; fix the role mapping.'),
  roleNotAllowed: (role: string) => e('PSQA09', 400, `Role "${role}" is not one of auth-roles`),
  serviceUnavailable: () => e('PSQA10', 503, 'The auth service is not available', 'The auth schema is missing: apply the init SQL (pesquel init).'),
};
