// Authentication when no JWT secret is configured: every request runs as the anonymous role;
// a bearer token is refused with PostgREST's PGRST300 rather than silently ignored.
import { errors } from '../errors/codes.js';
import type { Authenticate } from './types.js';

export function anonymousOnly(anonRole: string | null): Authenticate {
  const anonymous = anonRole === null ? null : Object.freeze({ role: anonRole, claims: Object.freeze({ role: anonRole }), authenticated: false });
  return async (headers) => {
    if (/^bearer\s/i.test(headers.authorization ?? '')) throw errors.jwtSecretMissing();
    if (anonymous === null) throw errors.anonDisabled();
    return anonymous;
  };
}
