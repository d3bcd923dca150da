// The recovery target of `pesquel restore --to-time`: validated before anything is stopped, so a typo
// never costs an outage. An explicit UTC offset is required: a server's TimeZone must not decide it.

export type RecoveryTarget = { readonly kind: 'time'; readonly time: string; readonly at: Date } | { readonly kind: 'latest' };

const FORMAT = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)$/i;

export class RecoveryTargetError extends Error {}

/**
 * `"2026-12-04 10:15:00+00"` → { kind: 'time', time: '2026-12-04 10:15:00+00', at: 2026-12-04T10:15:00Z }.
 * The text goes to pgBackRest (and on to recovery_target_time) as given, microseconds included.
 */
export function parseRecoveryTime(text: string, now = new Date()): RecoveryTarget {
  const s = text.trim();
  const m = FORMAT.exec(s);
  const bad = (why: string) => new RecoveryTargetError(`--to-time ${why}, got '${text}' (expected e.g. "2026-12-04 10:15:00+00")`);
  if (!m) throw bad('expects a date, a time and a UTC offset');
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const utc = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (utc.getUTCFullYear() !== year || utc.getUTCMonth() !== month - 1 || utc.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    throw bad('is not a valid date and time');
  }
  const zone = (m[8] as string).toUpperCase();
  let offsetMin = 0;
  if (zone !== 'Z' && zone !== 'UTC') {
    const digits = zone.slice(1).replace(':', '');
    offsetMin = (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0')) * (zone.startsWith('-') ? -1 : 1);
    if (Math.abs(offsetMin) > 14 * 60) throw bad('has a UTC offset beyond ±14:00');
  }
  const at = new Date(utc.getTime() - offsetMin * 60_000 + Math.floor(Number(m[7] ?? '0') * 1000));
  if (at.getTime() > now.getTime() + 60_000) throw bad(`is in the future (now: ${now.toISOString()})`);
  // PostgreSQL reads "UTC" and "Z" too, but a numeric offset is what every version accepts.
  const time = zone === 'Z' || zone === 'UTC' ? `${s.slice(0, s.length - zone.length).trimEnd()}+00` : s;
  return { kind: 'time', time, at };
}

/** pgBackRest restore options for the target: replay to the time and promote, or to the end of the archive. */
export function restoreTypeArgs(t: RecoveryTarget): string[] {
  if (t.kind === 'latest') return ['--type=default'];
  return ['--type=time', `--target=${t.time}`, '--target-action=promote'];
}
