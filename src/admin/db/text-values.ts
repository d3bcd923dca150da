// Turns driver values into PostgreSQL's text output for display, for values a driver parsed
// before the admin could ask for text (PGlite parses a few types itself).
export function toText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) return '\\x' + Buffer.from(v).toString('hex');
  return JSON.stringify(v);
}
