// Migration files on disk: `migrations/<version>_<name>.sql`, version = a UTC timestamp
// (YYYYMMDDHHMMSS) so that files sort in the order they were written. Checksum = sha256 of the bytes.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface MigrationFile {
  readonly version: string;
  readonly name: string;
  readonly file: string;
  readonly sql: string;
  readonly checksum: string;
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

const pattern = /^(\d{1,20})_([A-Za-z0-9][A-Za-z0-9_-]*)\.sql$/;

export const checksumOf = (sql: string) => createHash('sha256').update(sql, 'utf8').digest('hex');

/** Reads and orders the migration files; a stray or duplicate-version file is an error, not skipped. */
export function readMigrations(dir: string): MigrationFile[] {
  if (!existsSync(dir)) return [];
  const out: MigrationFile[] = [];
  const seen = new Map<string, string>();
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.sql')) continue;
    const m = pattern.exec(file);
    if (!m) throw new MigrationError(`${join(dir, file)}: migration files are named <version>_<name>.sql (e.g. 20260101120000_add_tags.sql)`);
    const version = m[1] as string;
    const other = seen.get(version);
    if (other) throw new MigrationError(`${file} and ${other} share version ${version}; give one a later version`);
    seen.set(version, file);
    const sql = readFileSync(join(dir, file), 'utf8');
    out.push({ version, name: m[2] as string, file, sql, checksum: checksumOf(sql) });
  }
  // Versions compare as numbers of equal width; pad so that 9_x sorts before 10_x.
  return out.sort((a, b) => a.version.padStart(20, '0').localeCompare(b.version.padStart(20, '0')));
}

const stamp = (d: Date) => d.toISOString().replace(/[-:T]/g, '').slice(0, 14);

/** Creates an empty migration named after `name`, versioned now (or just after the newest file). */
export function newMigration(dir: string, name: string, now = new Date()): string {
  const slug = name.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  if (slug === '') throw new MigrationError(`'${name}' has no letters or digits to name a migration with`);
  const existing = readMigrations(dir);
  let version = stamp(now);
  const newest = existing.at(-1)?.version;
  if (newest !== undefined && BigInt(newest) >= BigInt(version)) version = String(BigInt(newest) + 1n);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${version}_${slug}.sql`);
  writeFileSync(file, `-- Migration ${version}: ${name.trim()}\n-- Runs once, in its own transaction. Forward-only: never edit it after it was applied.\n\n`, { flag: 'wx' });
  return file;
}
