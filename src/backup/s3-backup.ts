// `pesquel backup --to s3://…`: the backup is written as usual into a private temporary folder, uploaded
// with its manifest, removed locally, and the retention rule is applied to what is in the bucket.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { applyS3Retention, uploadBackup } from './s3-store.js';
import { parseS3Url, s3Settings, s3Url, type S3Location } from './s3-location.js';
import { s3Client } from './s3-store.js';
import type { BackupResult, BackupTarget } from './write.js';

export type S3Target = { readonly client: S3Client; readonly location: S3Location; readonly keep: number; readonly maxAgeDays: number };

export async function backupToS3(t: S3Target, produce: (local: BackupTarget) => Promise<BackupResult>): Promise<BackupResult> {
  const dir = mkdtempSync(join(tmpdir(), 'pesquel-s3-backup-'));
  try {
    // Nothing is deleted locally: the temporary folder goes as a whole.
    const local = await produce({ dir, keep: Number.MAX_SAFE_INTEGER, maxAgeDays: 0 });
    await uploadBackup(t.client, t.location, local.path, local.manifest);
    const deleted = await applyS3Retention(t.client, t.location, t.keep, t.maxAgeDays);
    return { path: s3Url(t.location, local.manifest.file), manifest: local.manifest, deleted: deleted.map((f) => s3Url(t.location, f)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Client and location from the command's flags (--s3-endpoint, --s3-region, --s3-secrets); throws S3ConfigError. */
export function s3FromFlags(o: Readonly<Record<string, string | boolean>>, url: string): { client: S3Client; location: S3Location } {
  const str = (k: string) => (typeof o[k] === 'string' ? o[k] : undefined);
  const settings = s3Settings({ endpoint: str('s3-endpoint'), region: str('s3-region'), secretsDir: str('s3-secrets') }, process.env);
  return { client: s3Client(settings), location: parseS3Url(url) };
}

export const S3_FLAGS = ['s3-endpoint', 's3-region', 's3-secrets'] as const;
