// response.headers / response.status set by SQL (functions, db-pre-request): validated overrides.
import { errors } from '../errors/codes.js';

export function gucHeaders(raw: unknown): Record<string, string> {
  if (raw === null || raw === undefined || raw === '') return {};
  let parsed: unknown;
  try {
    parsed = typeof raw === 'string' ? JSON.parse(raw) : raw;
  } catch {
    throw errors.invalidResponseHeaders();
  }
  if (!Array.isArray(parsed)) throw errors.invalidResponseHeaders();
  const out: Record<string, string> = {};
  for (const item of parsed) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw errors.invalidResponseHeaders();
    const entries = Object.entries(item as Record<string, unknown>);
    if (entries.length !== 1) throw errors.invalidResponseHeaders();
    const [k, v] = entries[0] as [string, unknown];
    // What node:http would refuse in writeHead (an exception after the error boundary) is refused here.
    if (typeof v !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k) || /[^\t\x20-\x7e\x80-\xff]/.test(v)) throw errors.invalidResponseHeaders();
    out[k] = v;
  }
  return out;
}

export function gucStatus(raw: unknown): number | null {
  if (raw === null || raw === undefined || raw === '') return null;
  const s = String(raw).trim();
  const n = Number(s);
  if (!/^\d{3}$/.test(s) || n < 100 || n > 599) throw errors.invalidResponseStatus(s);
  return n;
}
