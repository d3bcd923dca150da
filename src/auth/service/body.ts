// Request bodies of the auth endpoints: a JSON object with string fields, validated with clear
// PSQA01 errors. Emails are compared lowercased; passwords are bounded so hashing stays cheap.
import { authErrors } from './errors.js';
import { passwordLimits } from './passwords.js';
import type { Credentials } from './service.js';

export function jsonBody(body: Buffer | null, contentType: string | undefined): Record<string, unknown> {
  if (body === null || body.length === 0) return {};
  if (contentType !== undefined && !/^application\/json\b/i.test(contentType.trim())) {
    throw authErrors.invalidBody('send Content-Type: application/json');
  }
  let v: unknown;
  try {
    v = JSON.parse(body.toString('utf8'));
  } catch {
    throw authErrors.invalidBody('the body is not valid JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw authErrors.invalidBody('the body must be a JSON object');
  return v as Record<string, unknown>;
}

export function optionalString(obj: Record<string, unknown>, key: string): string | null {
  const v = obj[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw authErrors.invalidBody(`'${key}' must be a string`);
  return v;
}

export function credentials(obj: Record<string, unknown>): Credentials {
  const email = optionalString(obj, 'email')?.trim().toLowerCase() ?? '';
  const password = optionalString(obj, 'password') ?? '';
  if (email === '' || password === '') throw authErrors.invalidBody("'email' and 'password' are required");
  if (email.length > 254 || !/^[^\s@]+@[^\s@]+$/.test(email)) throw authErrors.invalidBody("'email' is not an email address");
  if (password.length > passwordLimits.max) throw authErrors.invalidBody(`'password' must be at most ${passwordLimits.max} characters long`);
  return { email, password };
}
