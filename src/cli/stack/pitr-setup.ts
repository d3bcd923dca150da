// Setup's PITR step: the cipher passphrase (created once, never replaced: the repository is unreadable
// without it), the S3 files the operator must provide, and the saved choice.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from '../cli-error.js';
import { createFile, readSecret, restrictMode } from './files.js';
import { CIPHER_FILE, pitrOverlayPaths, pitrVariables, S3_SECRET_FILES, savePitrSettings, type PitrSettings } from './pitr.js';
import { randomAlphanumeric } from './random.js';

export type PitrStep = { overlays: string[]; variables: Record<string, string>; lines: string[] };

export function preparePitr(stackDir: string, secrets: string, s: PitrSettings): PitrStep {
  savePitrSettings(stackDir, s);
  if (!s.enabled) return { overlays: [], variables: {}, lines: [] };
  const cipher = join(secrets, CIPHER_FILE);
  const created = createFile(cipher, randomAlphanumeric(64));
  if (!created) {
    restrictMode(cipher);
    readSecret(cipher, CIPHER_FILE);
  }
  const lines = [created
    ? `Point-in-time recovery: repository passphrase created in secrets/${CIPHER_FILE}. Keep a copy outside this machine: without it the backups cannot be read.`
    : `Point-in-time recovery: repository passphrase kept (secrets/${CIPHER_FILE}).`];
  if (s.repo.kind === 's3') {
    const missing = S3_SECRET_FILES.filter((f) => !existsSync(join(secrets, f)));
    if (missing.length > 0) {
      throw new CliError(`--pitr-s3 needs ${missing.map((f) => `secrets/${f}`).join(', ')} (endpoint such as s3.eu-west-1.amazonaws.com, region, access key id, secret key; one value per file).`, 2);
    }
    for (const f of S3_SECRET_FILES) {
      restrictMode(join(secrets, f));
      readSecret(join(secrets, f), f);
    }
    lines.push(`WAL archive and backups go to s3://${s.repo.bucket}${s.repo.path} (encrypted, aes-256-cbc).`);
  } else {
    lines.push("WAL archive and backups go to the Docker volume 'pesquel_pgbackrest_repo' (encrypted, aes-256-cbc): on this disk; use --pitr-s3 bucket/path for off-site copies.");
  }
  return { overlays: pitrOverlayPaths(s), variables: pitrVariables(s), lines };
}

export const PITR_USAGE = `  --pitr                 Point-in-time recovery: pgBackRest archives the WAL and takes scheduled
                         full/differential backups into an encrypted volume (remembered).
  --pitr-s3 <bucket/path> The same into S3-compatible storage: endpoint, region and keys in
                         secrets/pitr_s3_endpoint.txt, pitr_s3_region.txt, pitr_s3_key.txt,
                         pitr_s3_key_secret.txt (remembered).
  --no-pitr              Turn point-in-time recovery off again (the repository is kept).`;

/**
 * Neither step fails setup: on a new machine the repository holds the lost cluster's backups (a stanza of
 * another system id) until `pesquel restore --to-latest` brings that cluster back; and an unconfirmed
 * archive shows in the pgbackrest service's health.
 */
const STANZA_CREATE = `/usr/local/bin/pesquel-pgbackrest stanza-create || \
echo 'WARNING: the pgBackRest stanza does not match this cluster. If the repository holds the backups of a lost server, recover it now: pesquel restore --to-latest' >&2`;
const CHECK = `/usr/local/bin/pesquel-pgbackrest check && echo 'WAL archiving into the pgBackRest repository: checked.' || \
echo 'WARNING: WAL archiving is not confirmed yet; see docker compose -p pesquel logs postgres pgbackrest, then run setup again.' >&2`;

/**
 * Compose steps once postgres is healthy: create the stanza (idempotent), then `check`, which makes
 * PostgreSQL archive a WAL segment and waits until it is in the repository. The scheduler takes the first
 * full backup as soon as it sees the stanza.
 */
export function pitrStackSteps(p: PitrStep): [string[], string][] {
  if (p.overlays.length === 0) return [];
  return [
    [['exec', '-T', 'postgres', 'sh', '-c', STANZA_CREATE], 'Creating the pgBackRest stanza'],
    [['exec', '-T', 'postgres', 'sh', '-c', CHECK], 'Checking WAL archiving'],
  ];
}
