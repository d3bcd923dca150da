// What `pesquel start` says when it cannot start: one line that names the setting to change.
import type { Config } from '../config/config.js';
import { DataDirError } from '../db/data-dir.js';
import { PortInUseError } from '../http/ports.js';
import { redactUri } from './redact.js';

/** The first error in the cause chain that carries a code: SQLSTATE from pg, errno names from Node. */
function coded(err: unknown): { code: string; message: string } | null {
  for (let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 6; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string') return { code: e.code, message: String(e.message ?? '') };
  }
  return null;
}

export function explainStartError(err: unknown, config: Config): string {
  if (err instanceof PortInUseError || err instanceof DataDirError) return err.message;
  const where = config.dbUri === null ? '' : ` (${redactUri(config.dbUri)})`;
  const c = coded(err);
  switch (c?.code) {
    case '28P01':
    case '28000':
      return `the database refused the credentials in db-uri${where}: check the user and password (--db-url, PESQUEL_DB_URI or PESQUEL_DB_URI_FILE)`;
    case '3D000':
      return `the database named in db-uri does not exist${where}`;
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EHOSTUNREACH':
    case 'ETIMEDOUT':
      return `cannot reach the database${where}: ${c.message || c.code} (is PostgreSQL running? check --db-url)`;
  }
  return (err as Error).message ?? String(err);
}
