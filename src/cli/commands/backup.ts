// `pesquel backup`: a consistent, compressed, timestamped backup in backup-dir, then retention.
// Embedded: a SQL dump taken by the running server (or directly when none runs). PostgreSQL:
// pg_dump custom format. `--list` shows the backups; `--every 24h` keeps running (compose service);
// `--to s3://bucket/prefix` uploads to S3-compatible storage with the same retention.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../../config/config.js';
import { PgliteDb } from '../../db/pglite.js';
import { listBackups } from '../../backup/manifest.js';
import { backupPglite } from '../../backup/pglite.js';
import { backupPostgres } from '../../backup/postgres.js';
import type { BackupResult, BackupTarget } from '../../backup/write.js';
import type { Manifest } from '../../backup/manifest.js';
import { backupToS3, s3FromFlags, S3_FLAGS } from '../../backup/s3-backup.js';
import { S3ConfigError, s3Url } from '../../backup/s3-location.js';
import { listS3Backups } from '../../backup/s3-store.js';
import { CliError } from '../cli-error.js';
import type { OptionName } from '../../config/options.js';
import { configHelp, configFrom, parseFlags } from '../flags.js';
import { callControl, openTarget, runningEmbedded } from '../ops-target.js';

export const summary = 'Write a backup of the database';

const options: OptionName[] = ['db-uri', 'data-dir'];

export const help = `Usage: pesquel backup [options]
       pesquel backup --list

Writes pesquel-<source>-<UTC time>.sql.gz (embedded: pg_dump as SQL, restorable into PGlite or
PostgreSQL) or .dump (PostgreSQL: pg_dump custom format), each with a .json manifest holding the row
count of every table. The embedded database is dumped by the running server without stopping it.
On PostgreSQL, pg_dump must be as new as the server; else the compose stack's container is used.

  --dir DIR            Backup directory (backup-dir, default: .pesquel/backups)
  --keep N             Keep the N newest backups (backup-keep, default: 7)
  --max-age-days N     Delete backups older than N days (backup-max-age-days, default: 30;
                       0: never); the newest backup is always kept
  --list               List the backups in the directory
  --stale-after DUR    With --list: exit 1 when the newest backup is older than DUR or there is none
                       (a healthcheck for scheduled backups)
  --every DURATION     Back up now and then every DURATION (e.g. 30m, 6h, 1d) until stopped
  --docker             Run pg_dump inside the compose stack's postgres container
  --to s3://BUCKET/PREFIX  Upload the backup (and its manifest) to S3-compatible storage instead;
                       retention (--keep, --max-age-days) applies to the backups under PREFIX
  --from s3://BUCKET/PREFIX  With --list: list the backups there (--to works too)
  --s3-endpoint URL    S3-compatible endpoint (e.g. https://minio.example.com:9000; default: AWS,
                       or AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL); path-style requests
  --s3-region REGION   Region (default AWS_REGION, else us-east-1)
  --s3-secrets DIR     Read endpoint, region and keys from DIR/pitr_s3_endpoint.txt,
                       pitr_s3_region.txt, pitr_s3_key.txt, pitr_s3_key_secret.txt (the files
                       of setup --pitr-s3);
                       else AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or their _FILE forms)

On PostgreSQL, connect as the database owner or a superuser (--db-url): the API's authenticator
role cannot read the tables.

${configHelp(options)}`;

const valueFlags = ['dir', 'keep', 'max-age-days', 'every', 'stale-after', 'to', 'from', ...S3_FLAGS];

function intFlag(v: string | boolean | undefined, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || !/^\d+$/.test(v)) throw new CliError(`--${name} expects a whole number`, 2);
  return Number(v);
}

export function parseDuration(s: string, flag = 'every'): number {
  const m = /^(\d+)\s*(s|m|h|d)$/.exec(s.trim());
  if (!m) throw new CliError(`--${flag} expects a duration such as 30m, 6h or 1d, got '${s}'`, 2);
  return Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
}

async function backupOnce(config: Config, target: BackupTarget, docker: boolean): Promise<BackupResult> {
  if (config.dbUri !== null) return backupPostgres(config.dbUri, target, { docker });
  const server = runningEmbedded(config);
  if (server) return callControl<BackupResult>(server, '/backup', target);
  if (!existsSync(join(config.dataDir, 'PG_VERSION'))) throw new Error(`there is no embedded database in ${resolve(config.dataDir)} (set --data-dir, or --db-url for PostgreSQL)`);
  const db = await openTarget(config, false);
  try {
    return await backupPglite(db as PgliteDb, target);
  } finally {
    await db.close();
  }
}

function s3Of(o: Record<string, string | boolean>, url: string) {
  try {
    return s3FromFlags(o, url);
  } catch (err) {
    if (err instanceof S3ConfigError) throw new CliError(err.message, 2);
    throw err;
  }
}

function list(where: string, all: readonly Manifest[], staleAfterMs: number | null): number {
  if (all.length === 0) {
    console.log(`No backups in ${where}.`);
    return staleAfterMs === null ? 0 : 1;
  }
  for (const m of all) {
    const rows = Object.values(m.rowCounts).reduce((a, b) => a + b, 0);
    console.log(`${m.file}  ${m.createdAt}  ${(m.bytes / 1024).toFixed(1)} KiB  ${m.source} ${m.serverVersion}  ${Object.keys(m.rowCounts).length} tables, ${rows} rows`);
  }
  const age = Date.now() - Date.parse(all[0]?.createdAt ?? '');
  if (staleAfterMs !== null && !(age <= staleAfterMs)) {
    console.error(`The newest backup is ${Math.round(age / 60_000)} minutes old: older than --stale-after.`);
    return 1;
  }
  return 0;
}

export async function run(args: string[]): Promise<number> {
  const flags = parseFlags(args, ['list', 'docker'], valueFlags, [...options, 'backup-dir', 'backup-keep', 'backup-max-age-days']);
  const config = configFrom(flags);
  const o = flags.other;
  const dir = resolve(typeof o.dir === 'string' ? o.dir : config.backupDir);
  if (o.to !== undefined && o.from !== undefined) throw new CliError('use --to (write, or list with --list) or --from (list), not both', 2);
  const remote = o.to ?? o.from;
  if (remote !== undefined && typeof remote !== 'string') throw new CliError('--to / --from expect s3://bucket/prefix', 2);
  if (o.from !== undefined && o.list !== true) throw new CliError('--from goes with --list (backups are written with --to)', 2);
  const s3 = remote === undefined ? null : s3Of(o, remote);
  if (o.list === true) {
    const stale = o['stale-after'] === undefined ? null : parseDuration(String(o['stale-after']), 'stale-after');
    if (s3 === null) return list(dir, listBackups(dir), stale);
    try {
      return list(s3Url(s3.location), await listS3Backups(s3.client, s3.location), stale);
    } catch (err) {
      throw new CliError(`listing ${s3Url(s3.location)} failed: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  const target: BackupTarget = {
    dir,
    keep: Math.max(1, intFlag(o.keep, 'keep', config.backupKeep)),
    maxAgeDays: intFlag(o['max-age-days'], 'max-age-days', config.backupMaxAgeDays),
  };
  const docker = o.docker === true;
  const once = async () => {
    const t0 = performance.now();
    const r = s3 === null ? await backupOnce(config, target, docker)
      : await backupToS3({ ...s3, keep: target.keep, maxAgeDays: target.maxAgeDays }, (local) => backupOnce(config, local, docker));
    const rows = Object.values(r.manifest.rowCounts).reduce((a, b) => a + b, 0);
    console.log(`Backup written: ${r.path} (${(r.manifest.bytes / 1024).toFixed(1)} KiB, ${Object.keys(r.manifest.rowCounts).length} tables, ${rows} rows, ${Math.round(performance.now() - t0)} ms)`);
    for (const f of r.deleted) console.log(`Removed old backup ${f}`);
  };
  if (o.every === undefined) {
    try {
      await once();
    } catch (err) {
      throw new CliError(`backup failed: ${(err as Error).message.split('\n')[0]}`);
    }
    return 0;
  }
  const every = parseDuration(String(o.every));
  let stop = false;
  const abort = new AbortController();
  for (const s of ['SIGINT', 'SIGTERM'] as const) process.once(s, () => { stop = true; abort.abort(); });
  console.log(`Backing up every ${String(o.every)} into ${s3 === null ? dir : s3Url(s3.location)}.`);
  while (!stop) {
    // A failed run is reported and retried at the next tick: the schedule keeps going.
    await once().catch((err: unknown) => console.error(`backup failed: ${(err as Error).message.split('\n')[0]}`));
    await sleep(every, undefined, { signal: abort.signal }).catch(() => undefined);
  }
  return 0;
}
