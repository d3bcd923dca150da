// `pesquel restore --to-time T | --to-latest`: point-in-time recovery from the pgBackRest repository,
// of the compose stack's cluster (default) or of a local server's data directory (--pg-data).
import { apiAnswers, PitrCheckError, waitPromoted, type RestoredCounts } from '../../backup/pitr-check.js';
import { PgbackrestError } from '../../backup/pitr-pgbackrest.js';
import { restoreLocal } from '../../backup/pitr-restore.js';
import { parseRecoveryTime, RecoveryTargetError, type RecoveryTarget } from '../../backup/pitr-time.js';
import type { Config } from '../../config/config.js';
import { CliError } from '../cli-error.js';
import { restoreCompose } from './pitr-restore.js';
import { stackDirOption } from './options.js';

export const pitrHelp = `Point-in-time recovery (pgBackRest, see docs/operations.md):
       pesquel restore --to-time "2026-12-04 10:15:00+00" [--dir DIR]
       pesquel restore --to-latest [--dir DIR]
       pesquel restore --to-time T --pg-data DIR --stanza NAME [--pgbackrest-config FILE]
                       [--db-url URL]

  --to-time TIME       Restore the cluster as it was at TIME (UTC offset required), then promote
  --to-latest          Restore and replay every archived WAL segment (after losing the server)
  --dir DIR            The compose stack's folder (default: the current folder); the stack's
                       postgres is stopped, restored with --delta, started and checked
  --pg-data DIR        Restore a local server's data directory instead (stop the server first);
                       run as root, pgBackRest runs as the directory's owner
  --stanza NAME        pgBackRest stanza of that server (with --pg-data)
  --pgbackrest-config FILE  pgbackrest.conf (default: pgBackRest's own default path)
  --db-url URL         With --pg-data: wait for the server you start, then count the rows
  --api-url URL        Also check that the API answers at URL (GET, status below 500)
  --timeout SECONDS    How long to wait for PostgreSQL to replay and promote (default 600)`;

export const pitrValued = ['to-time', 'pg-data', 'stanza', 'pgbackrest-config', 'api-url', 'timeout', 'dir'];

function target(o: Record<string, string | boolean>): RecoveryTarget {
  if (o['to-time'] !== undefined && o['to-latest'] !== undefined) throw new CliError('use either --to-time or --to-latest', 2);
  if (o['to-latest'] === true) return { kind: 'latest' };
  try {
    return parseRecoveryTime(String(o['to-time']));
  } catch (err) {
    if (err instanceof RecoveryTargetError) throw new CliError(err.message, 2);
    throw err;
  }
}

function timeoutMs(v: string | boolean | undefined): number {
  if (v === undefined) return 600_000;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isFinite(n) || n <= 0) throw new CliError(`--timeout expects a number of seconds, got '${String(v)}'`, 2);
  return n * 1000;
}

export function printCounts(c: RestoredCounts): void {
  for (const [table, n] of Object.entries(c.counts)) console.log(`  ${table}: ${n} rows`);
  console.log(`Restored database: ${c.tables} tables, ${c.rows} rows.`);
}

const seconds = (t0: number) => ((performance.now() - t0) / 1000).toFixed(1);
const describe = (t: RecoveryTarget) => (t.kind === 'time' ? `as of ${t.time}` : 'to the latest archived WAL');

async function local(o: Record<string, string | boolean>, config: Config, t: RecoveryTarget, wait: number): Promise<number> {
  if (typeof o.stanza !== 'string') throw new CliError('--pg-data needs --stanza NAME (the pgBackRest stanza of that server)', 2);
  const p = { pgData: String(o['pg-data']), stanza: o.stanza, ...(typeof o['pgbackrest-config'] === 'string' ? { configPath: o['pgbackrest-config'] } : {}) };
  const t0 = performance.now();
  await restoreLocal(p, t);
  console.log(`Restored ${p.pgData} ${describe(t)} in ${seconds(t0)} s (files only; PostgreSQL replays WAL when it starts).`);
  if (config.dbUri === null) {
    console.log('Start PostgreSQL now: it replays WAL up to the target and promotes. Then check the row counts.');
    return 0;
  }
  console.log(`Start PostgreSQL now; waiting up to ${wait / 1000} s for it to replay WAL and promote...`);
  printCounts(await waitPromoted(config.dbUri, wait));
  if (typeof o['api-url'] === 'string') console.log(`The API answers (${await apiAnswers(o['api-url'])}).`);
  console.log(`Point-in-time restore done in ${seconds(t0)} s.`);
  return 0;
}

export async function runPitrRestore(o: Record<string, string | boolean>, config: Config): Promise<number> {
  const t = target(o);
  const wait = timeoutMs(o.timeout);
  try {
    if (o['pg-data'] !== undefined) return await local(o, config, t, wait);
    for (const f of ['stanza', 'pgbackrest-config'] as const) if (o[f] !== undefined) throw new CliError(`--${f} goes with --pg-data (a local server)`, 2);
    return await restoreCompose({ stackDir: stackDirOption(typeof o.dir === 'string' ? o.dir : undefined), target: t, timeoutMs: wait, describe: describe(t) });
  } catch (err) {
    if (err instanceof PgbackrestError && /unable to find backup set with stop time less than/.test(err.message)) {
      throw new CliError(`${err.message} — the target is earlier than the end of the oldest backup kept (see pgbackrest info); nothing was changed`);
    }
    if (err instanceof PgbackrestError || err instanceof PitrCheckError) throw new CliError(err.message);
    throw err;
  }
}
