// Logical backups in S3-compatible storage with the official AWS SDK: each backup file is uploaded with its
// manifest (`<file>.json`) beside it, so listing, retention and restore read manifests as they do locally.
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { manifestPath, type Manifest } from './manifest.js';
import { doomedBackups } from './s3-retention.js';
import type { S3Location, S3Settings } from './s3-location.js';

export function s3Client(s: S3Settings): S3Client {
  // Other endpoints: the bucket in the path, which every S3-compatible store (MinIO, Ceph, R2, …) accepts,
  // and checksums only where S3 requires them: the SDK's default streams uploads as aws-chunked with a
  // trailing CRC, which several S3-compatible stores would save as part of the object.
  const compatible = s.endpoint ? { endpoint: s.endpoint, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } as const : {};
  return new S3Client({ region: s.region, ...compatible, ...(s.credentials ? { credentials: s.credentials } : {}) });
}

/** Uploads the backup file, then its manifest: a listed manifest always has its file. */
export async function uploadBackup(c: S3Client, loc: S3Location, localPath: string, m: Manifest): Promise<void> {
  await c.send(new PutObjectCommand({
    Bucket: loc.bucket, Key: loc.prefix + m.file, Body: createReadStream(localPath), ContentLength: statSync(localPath).size,
    ContentType: 'application/octet-stream',
  }));
  await c.send(new PutObjectCommand({ Bucket: loc.bucket, Key: loc.prefix + manifestPath(m.file), Body: `${JSON.stringify(m, null, 2)}\n`, ContentType: 'application/json' }));
}

async function keys(c: S3Client, loc: S3Location): Promise<Set<string>> {
  const out = new Set<string>();
  let token: string | undefined;
  do {
    const r = await c.send(new ListObjectsV2Command({ Bucket: loc.bucket, Prefix: loc.prefix, ContinuationToken: token }));
    for (const o of r.Contents ?? []) if (o.Key !== undefined) out.add(o.Key.slice(loc.prefix.length));
    token = r.IsTruncated === true ? r.NextContinuationToken : undefined;
  } while (token !== undefined);
  return out;
}

async function text(c: S3Client, loc: S3Location, name: string): Promise<string> {
  const r = await c.send(new GetObjectCommand({ Bucket: loc.bucket, Key: loc.prefix + name }));
  return r.Body ? r.Body.transformToString() : '';
}

/** Backups under the prefix (directly, not in sub-folders) with file and manifest, newest first. */
export async function listS3Backups(c: S3Client, loc: S3Location): Promise<Manifest[]> {
  const names = await keys(c, loc);
  const out: Manifest[] = [];
  for (const name of names) {
    if (!name.startsWith('pesquel-') || !name.endsWith('.json') || name.includes('/')) continue;
    const file = name.slice(0, -'.json'.length);
    if (!names.has(file)) continue;
    try {
      const m = JSON.parse(await text(c, loc, name)) as Manifest;
      if (m.format === 'pesquel-backup/1' && m.file === file) out.push(m);
    } catch {
      // Not ours or damaged: never counted, never deleted.
    }
  }
  return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** Applies the local retention rule to the backups in S3; returns the deleted files. */
export async function applyS3Retention(c: S3Client, loc: S3Location, keep: number, maxAgeDays: number, now = Date.now()): Promise<string[]> {
  const doomed = doomedBackups(await listS3Backups(c, loc), keep, maxAgeDays, now);
  if (doomed.length === 0) return [];
  const objects = doomed.flatMap((m) => [{ Key: loc.prefix + m.file }, { Key: loc.prefix + manifestPath(m.file) }]);
  const r = await c.send(new DeleteObjectsCommand({ Bucket: loc.bucket, Delete: { Objects: objects, Quiet: true } }));
  const failed = r.Errors ?? [];
  if (failed.length > 0) throw new Error(`S3 refused to delete ${failed.length} old backup object(s): ${failed[0]?.Code ?? ''} ${failed[0]?.Key ?? ''}`);
  return doomed.map((m) => m.file);
}

/** Downloads a backup and its manifest into `dir`; returns the local file's path. */
export async function downloadBackup(c: S3Client, loc: S3Location, file: string, dir: string): Promise<string> {
  const path = join(dir, file);
  for (const name of [file, manifestPath(file)]) {
    const r = await c.send(new GetObjectCommand({ Bucket: loc.bucket, Key: loc.prefix + name }));
    if (!r.Body) throw new Error(`s3://${loc.bucket}/${loc.prefix}${name} is empty`);
    await pipeline(r.Body as Readable, createWriteStream(join(dir, name), { mode: 0o600 }));
  }
  return path;
}
