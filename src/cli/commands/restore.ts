// `pesquel restore <backup>`: restores into an empty database, or over the current one with explicit
// confirmation, then compares row counts with the backup's manifest. `--check` restores into a
// scratch database instead, to prove that a backup can be restored. `--to-time` / `--to-latest`:
// point-in-time recovery from the pgBackRest repository (src/cli/stack/pitr-command.ts).
import { join, resolve } from 'node:path';
import { checkBackup } from '../../backup/check.js';
import { openBackup, restoreBackup, RestoreError, type CountCheck } from '../../backup/restore.js';
import { hasData } from '../../backup/catalog.js';
import { createAsker } from '../stack/prompt.js';
import { CliError } from '../cli-error.js';
import type { OptionName } from '../../config/options.js';
import { configHelp, configFrom, parseFlags } from '../flags.js';
import { openTarget, runningEmbedded } from '../ops-target.js';
import { pitrHelp, pitrValued, runPitrRestore } from '../stack/pitr-command.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { S3_FLAGS, s3FromFlags } from '../../backup/s3-backup.js';
import { S3ConfigError, splitS3Object } from '../../backup/s3-location.js';
import { downloadBackup } from '../../backup/s3-store.js';

export const summary = 'Restore a backup, or the cluster to a point in time';

const options: OptionName[] = ['db-uri', 'data-dir', 'db-channel', 'db-channel-enabled'];

export const help = `Usage: pesquel restore <backup file> [options]

Restores a backup written by pesquel backup (keep its .json manifest beside it) and checks that
every table has the row count recorded in the manifest.
A .sql.gz backup (embedded) restores into the embedded database or into PostgreSQL 15–17: this is
how a project moves from embedded to the compose stack. A .dump backup restores into PostgreSQL.

  --yes                Replace a database that holds data (everything in it is dropped)
  --check              Restore into a scratch database (in-memory, or a temporary database on
                       the server) and compare row counts; the configured database is not touched
  --docker             Run pg_restore inside the compose stack's postgres container

A backup in S3 (pesquel backup --to s3://…) is given as s3://BUCKET/PREFIX/FILE: it is downloaded
with its manifest into a private temporary folder first (--s3-endpoint, --s3-region, --s3-secrets as
for pesquel backup).

Stop the embedded server before restoring into its data directory.

${pitrHelp}

${configHelp(options)}`;

function report(check: CountCheck, hasManifest: boolean): number {
  if (!hasManifest) {
    console.log('Restored. No manifest next to the backup: row counts could not be compared.');
    return 0;
  }
  if (check.ok) {
    console.log(`Restore check passed: ${check.tables} tables, ${check.rows} rows, every count as in the backup.`);
    return 0;
  }
  for (const d of check.differences) console.error(`mismatch: ${d}`);
  console.error(`Restore check FAILED: ${check.differences.length} table(s) differ from the backup.`);
  return 1;
}

export async function run(args: string[]): Promise<number> {
  const flags = parseFlags(args, ['yes', 'check', 'docker', 'to-latest'], [...pitrValued, ...S3_FLAGS], options);
  if (flags.other['to-time'] !== undefined || flags.other['to-latest'] !== undefined) {
    if (flags.positionals.length > 0) throw new CliError('--to-time / --to-latest restore from the pgBackRest repository: give no backup file', 2);
    return runPitrRestore(flags.other, configFrom(flags));
  }
  const stray = pitrValued.find((f) => flags.other[f] !== undefined);
  if (stray !== undefined) throw new CliError(`--${stray} goes with --to-time or --to-latest`, 2);
  const [file] = flags.positionals;
  if (file === undefined || flags.positionals.length > 1) throw new CliError('usage: pesquel restore <backup file> [--yes] [--check]', 2);
  const config = configFrom(flags);
  const docker = flags.other.docker === true;
  const fetched = file.startsWith('s3://') ? mkdtempSync(join(tmpdir(), 'pesquel-s3-restore-')) : null;
  try {
    return await restoreFile(fetched === null ? resolve(file) : await fetchFromS3(flags.other, file, fetched), flags, config, docker);
  } finally {
    if (fetched !== null) rmSync(fetched, { recursive: true, force: true });
  }
}

async function fetchFromS3(o: Record<string, string | boolean>, url: string, dir: string): Promise<string> {
  try {
    const { location, file } = splitS3Object(url);
    const { client } = s3FromFlags(o, url);
    return await downloadBackup(client, location, file, dir);
  } catch (err) {
    if (err instanceof S3ConfigError) throw new CliError(err.message, 2);
    throw new CliError(`downloading ${url} failed: ${(err as Error).message.split('\n')[0]}`);
  }
}

async function restoreFile(path: string, flags: ReturnType<typeof parseFlags>, config: ReturnType<typeof configFrom>, docker: boolean): Promise<number> {
  let backup;
  try {
    backup = await openBackup(path);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  try {
    if (flags.other.check === true) {
      return report(await checkBackup(backup, config.dbUri, docker), true);
    }
    const server = runningEmbedded(config);
    if (server) throw new CliError(`PeSquel (pid ${server.pid}) is serving ${config.dataDir}; stop it before restoring into it`);
    const db = await openTarget(config, false);
    try {
      let replace = flags.other.yes === true;
      if (!replace && (await db.withConnection(hasData))) {
        if (process.stdin.isTTY !== true) throw new CliError('the target database holds data; pass --yes to replace all of it');
        const asker = createAsker(process.stdin, process.stdout);
        replace = await asker.ask('The target database holds data. Drop everything in it and restore the backup?');
        asker.close();
        if (!replace) throw new CliError('restore cancelled; nothing was changed');
      }
      const check = await restoreBackup(db, backup, { replace, channel: config.dbChannelEnabled ? config.dbChannel : null, uri: config.dbUri, docker });
      return report(check, backup.manifest !== null);
    } finally {
      await db.close();
    }
  } catch (err) {
    if (err instanceof RestoreError) throw new CliError(err.message);
    throw err;
  }
}
