// A backup is a file plus a manifest beside it (`<file>.json`): what it holds, where it came from and
// the row count of every table at the moment of the dump, which the restore check compares against.
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type BackupFormat = 'sql-gzip' | 'pg-custom';

export interface Manifest {
  readonly format: 'pesquel-backup/1';
  readonly file: string;
  /** sql-gzip: a plain SQL dump (pg_dump --inserts), restorable into PGlite and PostgreSQL; pg-custom: pg_dump -Fc. */
  readonly kind: BackupFormat;
  readonly source: 'pglite' | 'postgres';
  readonly serverVersion: string;
  readonly createdAt: string;
  readonly bytes: number;
  readonly sha256: string;
  /** Idempotent SQL that creates the non-system roles the dump grants to (no passwords). */
  readonly rolesSql: string;
  /** `schema.table` → rows, counted in the dump's snapshot. */
  readonly rowCounts: Readonly<Record<string, number>>;
}

export const manifestPath = (file: string) => `${file}.json`;

export function writeManifest(dir: string, m: Manifest): void {
  writeFileSync(join(dir, manifestPath(m.file)), JSON.stringify(m, null, 2) + '\n', { mode: 0o600 });
}

export function readManifest(path: string): Manifest | null {
  const p = manifestPath(path);
  if (!existsSync(p)) return null;
  const m = JSON.parse(readFileSync(p, 'utf8')) as Manifest;
  if (m.format !== 'pesquel-backup/1') throw new Error(`${p} is not a PeSquel backup manifest`);
  return m;
}

/** Backups in `dir` that have their file and manifest, newest first. */
export function listBackups(dir: string): Manifest[] {
  if (!existsSync(dir)) return [];
  const out: Manifest[] = [];
  for (const name of readdirSync(dir)) {
    if (!name.startsWith('pesquel-') || !name.endsWith('.json')) continue;
    const file = name.slice(0, -'.json'.length);
    if (!existsSync(join(dir, file))) continue;
    try {
      const m = readManifest(join(dir, file));
      if (m) out.push(m);
    } catch {
      // Not ours or damaged: never counted, never deleted.
    }
  }
  return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** For /metrics: when the newest backup was written (from the manifest, else file times). */
export function newestBackupAt(dir: string): Date | null {
  const newest = listBackups(dir)[0];
  if (!newest) return null;
  const at = new Date(newest.createdAt);
  return Number.isNaN(at.getTime()) ? statSync(join(dir, newest.file)).mtime : at;
}

/**
 * Retention: keep the `keep` newest and drop any older than `maxAgeDays` (0: no age limit).
 * The newest backup is never deleted, whatever its age. Returns the deleted files.
 */
export function applyRetention(dir: string, keep: number, maxAgeDays: number, now = Date.now()): string[] {
  const all = listBackups(dir);
  const cutoff = maxAgeDays > 0 ? now - maxAgeDays * 86_400_000 : -Infinity;
  const doomed = all.filter((m, i) => i > 0 && (i >= keep || new Date(m.createdAt).getTime() < cutoff));
  for (const m of doomed) {
    rmSync(join(dir, m.file), { force: true });
    rmSync(join(dir, manifestPath(m.file)), { force: true });
  }
  return doomed.map((m) => m.file);
}

// Milliseconds included: scheduled runs a second apart must never share a name.
export const backupFileName = (source: Manifest['source'], kind: BackupFormat, at: Date) =>
  `pesquel-${source}-${at.toISOString().replace(/[-:]/g, '')}${kind === 'sql-gzip' ? '.sql.gz' : '.dump'}`;
