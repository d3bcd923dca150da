// What `pesquel start` says when it cannot start: one line that names the setting to change.
import type { Config } from '../config/config.js';
import { DataDirError } from '../db/data-dir.js';
import { PortInUseError } from '../http/ports.js';
import { redactUri } from './redact.js';

/** The PostgreSQL error code anywhere in the cause chain (pg errors carry `code`). */
function sqlState(err: unknown): string | null {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  }
  return null;
}

export function explainStartError(err: unknown, config: Config): string {
  if (err instanceof PortInUseError || err instanceof DataDirError) return err.message;
  const e = err as NodeJS.ErrnoException;
  const where = config.dbUri === null ? '' : ` (${redactUri(config.dbUri)})`;
  switch (sqlState(err)) {
    case '28P01':
    case '28000':
      return `the database refused the credentials in db-uri${where}: check the user and password (db-uri, or PESQUEL_DB_URI_FILE)`;
    case '3D000':
      return `the database named in db-uri does not exist${where}`;
  }
  if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'EHOSTUNREACH') {
    return `cannot reach the database${where}: ${e.message} (is PostgreSQL running? check db-uri)`;
  }
  return e.message ?? String(err);
}
