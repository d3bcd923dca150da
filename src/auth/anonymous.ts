// Authentication when no JWT secret is configured: every request runs as the anonymous role;
// a bearer token is refused with PostgREST's PGRST300 rather than silently ignored.
import { errors } from '../errors/codes.js';
import { sharedAuthResult, type Authenticate } from './types.js';

export function anonymousOnly(anonRole: string | null): Authenticate {
  const anonymous = anonRole === null ? null : sharedAuthResult(anonRole, { role: anonRole }, false);
  return async (headers) => {
    if (/^bearer\s/i.test(headers.authorization ?? '')) throw errors.jwtSecretMissing();
    if (anonymous === null) throw errors.anonDisabled();
    return anonymous;
  };
}
