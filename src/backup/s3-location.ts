// Where `pesquel backup --to s3://bucket/prefix` writes, and how it reaches the store: any S3-compatible
// endpoint (path-style addressing), region and keys from flags, from secrets files, or from AWS_* settings.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type S3Location = { readonly bucket: string; readonly prefix: string };

export type S3Settings = {
  readonly region: string;
  readonly endpoint?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
};

export type S3Flags = { endpoint?: string; region?: string; secretsDir?: string };

export class S3ConfigError extends Error {}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** `s3://backups/prod/db` → { bucket: 'backups', prefix: 'prod/db/' }; `s3://backups` → prefix ''. */
export function parseS3Url(url: string): S3Location {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!m || !BUCKET.test(m[1] as string)) throw new S3ConfigError(`expected s3://bucket/prefix with a valid bucket name, got '${url}'`);
  const prefix = (m[2] as string).split('/').filter(Boolean).join('/');
  return { bucket: m[1] as string, prefix: prefix === '' ? '' : `${prefix}/` };
}

/** A file and its object key: `s3://b/p/pesquel-postgres-….dump` → location of `p/` and the name. */
export function splitS3Object(url: string): { location: S3Location; file: string } {
  const loc = parseS3Url(url);
  const parts = loc.prefix.split('/').filter(Boolean);
  const file = parts.pop();
  if (file === undefined) throw new S3ConfigError(`'${url}' names a bucket, not a backup file`);
  return { location: { bucket: loc.bucket, prefix: parts.length > 0 ? `${parts.join('/')}/` : '' }, file };
}

function fromFile(dir: string | undefined, name: string): string | undefined {
  if (dir === undefined || !existsSync(join(dir, name))) return undefined;
  const v = readFileSync(join(dir, name), 'utf8').trim();
  return v === '' ? undefined : v;
}

function fileEnv(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const path = env[`${name}_FILE`];
  if (path === undefined || path === '') return env[name] || undefined;
  if (!existsSync(path)) throw new S3ConfigError(`${name}_FILE points to ${path}, which does not exist`);
  return readFileSync(path, 'utf8').trim() || undefined;
}

/**
 * Flags first, then the secrets directory (the files of `pesquel setup --pitr-s3`: pitr_s3_endpoint.txt,
 * pitr_s3_region.txt, pitr_s3_key.txt, pitr_s3_key_secret.txt), then AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL,
 * AWS_REGION and AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or their _FILE forms). Without keys, the
 * SDK's own chain applies (~/.aws, instance roles).
 */
export function s3Settings(f: S3Flags, env: NodeJS.ProcessEnv): S3Settings {
  const d = f.secretsDir;
  if (d !== undefined && !existsSync(d)) throw new S3ConfigError(`--s3-secrets ${d} does not exist`);
  let endpoint = f.endpoint ?? fromFile(d, 'pitr_s3_endpoint.txt') ?? (env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined);
  if (endpoint !== undefined && !/^https?:\/\//.test(endpoint)) endpoint = `https://${endpoint}`;
  if (endpoint !== undefined) {
    try {
      new URL(endpoint);
    } catch {
      throw new S3ConfigError(`the S3 endpoint '${endpoint}' is not a URL`);
    }
  }
  const region = f.region ?? fromFile(d, 'pitr_s3_region.txt') ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1');
  const accessKeyId = fromFile(d, 'pitr_s3_key.txt') ?? fileEnv(env, 'AWS_ACCESS_KEY_ID');
  const secretAccessKey = fromFile(d, 'pitr_s3_key_secret.txt') ?? fileEnv(env, 'AWS_SECRET_ACCESS_KEY');
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) throw new S3ConfigError('S3 credentials need both an access key id and a secret access key');
  return {
    region,
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(accessKeyId !== undefined && secretAccessKey !== undefined ? { credentials: { accessKeyId, secretAccessKey } } : {}),
  };
}

export const s3Url = (loc: S3Location, file = '') => `s3://${loc.bucket}/${loc.prefix}${file}`;
