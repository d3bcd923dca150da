// `pesquel setup --pitr`: the pgBackRest overlay's settings. The choice (volume or S3 repository) is kept
// in <stack>/pgbackrest/pitr.json so that a later setup without flags keeps it; --no-pitr turns it off.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from '../cli-error.js';
import { deployDir } from './paths.js';

export type PitrRepo = { readonly kind: 'posix' } | { readonly kind: 's3'; readonly bucket: string; readonly path: string };
export type PitrSettings = { readonly enabled: false } | { readonly enabled: true; readonly repo: PitrRepo };
export type PitrFlags = { pitr?: boolean | undefined; 'no-pitr'?: boolean | undefined; 'pitr-s3'?: string | undefined };

/** The pgBackRest stanza of the compose stack's cluster. */
export const STANZA = 'pesquel';

/** Files the operator puts in secrets/ for an S3 repository (setup cannot invent them). */
export const S3_SECRET_FILES = ['pitr_s3_endpoint.txt', 'pitr_s3_region.txt', 'pitr_s3_key.txt', 'pitr_s3_key_secret.txt'] as const;
/** The repository's encryption passphrase: generated once and never replaced (the repository needs it). */
export const CIPHER_FILE = 'pitr_cipher_pass.txt';

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** `bucket/some/path` → { bucket, path: '/some/path' } (path `/pesquel` when none is given). */
export function parseS3Location(value: string): PitrRepo {
  const [bucket = '', ...rest] = value.replace(/^s3:\/\//, '').split('/');
  if (!BUCKET.test(bucket)) throw new CliError(`--pitr-s3 expects bucket/path with an S3 bucket name (3-63 of a-z 0-9 . -), got '${value}'.`, 2);
  const path = rest.filter(Boolean).join('/');
  if (/[^A-Za-z0-9._\-/]/.test(path)) throw new CliError(`--pitr-s3: the path may hold letters, digits and . _ - / only, got '${path}'.`, 2);
  return { kind: 's3', bucket, path: `/${path || 'pesquel'}` };
}

export function pitrStateFile(stackDir: string): string {
  return join(stackDir, 'pgbackrest', 'pitr.json');
}

function saved(stackDir: string): PitrSettings {
  const file = pitrStateFile(stackDir);
  if (!existsSync(file)) return { enabled: false };
  try {
    const repo = JSON.parse(readFileSync(file, 'utf8')) as PitrRepo;
    if (repo.kind === 'posix' || (repo.kind === 's3' && BUCKET.test(repo.bucket))) return { enabled: true, repo };
  } catch {
    // handled below
  }
  throw new CliError(`${file} is not valid: delete it and run setup with --pitr again.`);
}

/** Flags win; without any, the saved choice. Example: `--pitr-s3 backups/prod` → s3 bucket 'backups', path '/prod'. */
export function pitrSettings(f: PitrFlags, stackDir: string): PitrSettings {
  if (f['no-pitr'] === true && (f.pitr === true || f['pitr-s3'] !== undefined)) throw new CliError('--no-pitr cannot go with --pitr or --pitr-s3.', 2);
  if (f['no-pitr'] === true) return { enabled: false };
  if (f['pitr-s3'] !== undefined) return { enabled: true, repo: parseS3Location(f['pitr-s3']) };
  if (f.pitr === true) {
    const before = saved(stackDir);
    return { enabled: true, repo: before.enabled ? before.repo : { kind: 'posix' } };
  }
  return saved(stackDir);
}

/** Records the choice (or its absence) for the next setup and for `pesquel restore`. */
export function savePitrSettings(stackDir: string, s: PitrSettings): void {
  const file = pitrStateFile(stackDir);
  if (!s.enabled) {
    rmSync(file, { force: true });
    return;
  }
  mkdirSync(join(stackDir, 'pgbackrest'), { recursive: true });
  writeFileSync(file, `${JSON.stringify(s.repo)}\n`);
}

export function pitrOverlayPaths(s: PitrSettings): string[] {
  if (!s.enabled) return [];
  const base = join(deployDir(), 'docker-compose.pitr.yml');
  return s.repo.kind === 's3' ? [base, join(deployDir(), 'pgbackrest', 'docker-compose.pitr-s3.yml')] : [base];
}

/** PESQUEL_STACK_PITR_* for the overlay (names and places only; secrets stay in files). */
export function pitrVariables(s: PitrSettings): Record<string, string> {
  if (!s.enabled) return {};
  if (s.repo.kind === 'posix') return { PESQUEL_STACK_PITR_REPO: 'posix' };
  return { PESQUEL_STACK_PITR_REPO: 's3', PESQUEL_STACK_PITR_S3_BUCKET: s.repo.bucket, PESQUEL_STACK_PITR_S3_PATH: s.repo.path };
}
