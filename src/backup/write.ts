// Writes a backup file atomically (temporary name, then rename) with its manifest, and applies
// retention afterwards. Shared by the embedded and the PostgreSQL backup paths.
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { applyRetention, backupFileName, writeManifest, type Manifest } from './manifest.js';

export interface BackupTarget {
  readonly dir: string;
  readonly keep: number;
  readonly maxAgeDays: number;
}

export interface BackupResult {
  readonly path: string;
  readonly manifest: Manifest;
  readonly deleted: readonly string[];
}

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Names the file, lets `produce` write it to a temporary path, then publishes file and manifest. */
export async function writeBackup(
  target: BackupTarget,
  meta: Omit<Manifest, 'format' | 'file' | 'bytes' | 'sha256' | 'createdAt'>,
  produce: (tmpPath: string) => Promise<void>,
  at = new Date(),
): Promise<BackupResult> {
  mkdirSync(target.dir, { recursive: true, mode: 0o700 });
  const file = backupFileName(meta.source, meta.kind, at);
  const path = join(target.dir, file);
  const tmp = join(target.dir, `.${file}.partial`);
  try {
    await produce(tmp);
    const manifest: Manifest = {
      format: 'pesquel-backup/1', file, createdAt: at.toISOString(),
      bytes: statSync(tmp).size, sha256: await sha256File(tmp), ...meta,
    };
    renameSync(tmp, path);
    writeManifest(target.dir, manifest);
    return { path, manifest, deleted: applyRetention(target.dir, target.keep, target.maxAgeDays) };
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

export const writePrivate = (path: string, data: Buffer) => writeFileSync(path, data, { mode: 0o600 });
