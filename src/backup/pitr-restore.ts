// Point-in-time restore of a cluster on this machine from its pgBackRest repository: the server must be
// stopped; `--delta` rewrites only the files that differ, then PostgreSQL replays WAL up to the target.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPgbackrest, PgbackrestError, type PgbackrestLocal } from './pitr-pgbackrest.js';
import { restoreTypeArgs, type RecoveryTarget } from './pitr-time.js';

/** PostgreSQL's postmaster.pid names a live process while the server runs. */
export function runningPostmaster(pgData: string): number | null {
  const file = join(pgData, 'postmaster.pid');
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}

/**
 * `pgbackrest --stanza=S --pg1-path=DIR restore --type=time --target=T --target-action=promote --delta`.
 * Throws before touching anything when the data directory is missing or its server still runs.
 */
export async function restoreLocal(p: PgbackrestLocal, target: RecoveryTarget): Promise<void> {
  if (!existsSync(p.pgData)) throw new PgbackrestError(`${p.pgData} does not exist`);
  const pid = runningPostmaster(p.pgData);
  if (pid !== null) throw new PgbackrestError(`PostgreSQL (pid ${pid}) is running on ${p.pgData}: stop it before restoring`);
  await runPgbackrest(p, 'restore', [...restoreTypeArgs(target), '--delta']);
}
