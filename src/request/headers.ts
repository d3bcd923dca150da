// Request headers PostgREST gives meaning to: Prefer, Accept, Content-Type, Range, Cookie.
import { errors } from '../errors/codes.js';
import type { MediaType, Preferences } from './types.js';

/**
 * `Prefer: return=representation, count=exact` (several headers or comma lists).
 * Example: parsePrefer(['count=exact, tx=rollback']) → { count: 'exact', tx: 'rollback', … }
 */
export function parsePrefer(values: readonly string[]): Preferences {
  const prefs: { -readonly [K in keyof Preferences]: Preferences[K] } = {
    return: null, count: null, resolution: null, missing: null, handling: null,
    timezone: null, maxAffected: null, tx: null, read: null, invalid: [],
  };
  const invalid: string[] = [];
  const allowed: Record<string, readonly string[]> = {
    return: ['minimal', 'headers-only', 'representation'],
    count: ['exact', 'planned', 'estimated'],
    resolution: ['merge-duplicates', 'ignore-duplicates'],
    missing: ['default', 'null'],
    handling: ['strict', 'lenient'],
    tx: ['commit', 'rollback'],
    read: ['primary'], // PeSquel's own (read replicas); PostgREST ignores it
  };
  for (const raw of values.flatMap((v) => v.split(','))) {
    const item = raw.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    const key = (eq < 0 ? item : item.slice(0, eq)).trim();
    const value = eq < 0 ? '' : item.slice(eq + 1).trim();
    if (key === 'timezone' && value !== '') prefs.timezone = value;
    else if (key === 'max-affected' && /^\d+$/.test(value)) prefs.maxAffected = Number(value);
    else if (key in allowed && (allowed[key] as readonly string[]).includes(value)) {
      (prefs as Record<string, unknown>)[key === 'return' ? 'return' : key] = value;
    } else invalid.push(item);
  }
  prefs.invalid = invalid;
  return prefs;
}

/** One media type: `application/vnd.pgrst.object+json; nulls=stripped; q=0.5`. */
export function parseMediaType(text: string): MediaType {
  const [head = '', ...rest] = text.split(';');
  const params: Record<string, string> = {};
  let q = 1;
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    const k = p.slice(0, eq).trim().toLowerCase();
    const v = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    if (k === 'q') q = Number.isFinite(Number(v)) ? Number(v) : 0;
    else params[k] = v;
  }
  return { type: head.trim().toLowerCase(), params, q };
}

/** The Accept header as a list ordered by preference (q, then order). Empty: `*\/*`. */
export function parseAccept(header: string | undefined): MediaType[] {
  if (header === undefined || header.trim() === '') return [{ type: '*/*', params: {}, q: 1 }];
  // Split on commas outside quotes (plan media types carry quoted parameters).
  const parts = header.match(/(?:[^,"]|"[^"]*")+/g) ?? [];
  return parts
    .map((p, i) => ({ m: parseMediaType(p), i }))
    .filter(({ m }) => m.type !== '' && m.q > 0)
    .sort((a, b) => b.m.q - a.m.q || a.i - b.i)
    .map(({ m }) => m);
}

/** `Range: 0-9` / `10-` (items). Returns offset and limit; PGRST103 when malformed or inverted. */
export function parseRange(header: string | undefined): { offset: number; limit: number | null } | null {
  if (header === undefined) return null;
  const m = /^\s*(?:items=)?\s*(\d+)-(\d*)\s*$/.exec(header);
  if (!m) return null; // PostgREST ignores Range headers it cannot read
  const from = Number(m[1]);
  // Bounds past 2^53 are not exact integers (999… may even be Infinity) and cannot be a page.
  if (!Number.isSafeInteger(from) || (m[2] !== '' && !Number.isSafeInteger(Number(m[2])))) throw errors.invalidRange();
  if (m[2] === '') return { offset: from, limit: null };
  const to = Number(m[2]);
  if (to < from) throw errors.invalidRange();
  return { offset: from, limit: to - from + 1 };
}

const NO_COOKIES: Readonly<Record<string, string>> = Object.freeze({});

export function parseCookies(header: string | undefined): Readonly<Record<string, string>> {
  if (header === undefined || header === '') return NO_COOKIES;
  const out: Record<string, string> = {};
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const k = part.slice(0, eq).trim();
    let v = part.slice(eq + 1).trim();
    try { v = decodeURIComponent(v); } catch { /* keep as sent */ }
    out[k] = v;
  }
  return out;
}
