// How many API worker processes a start runs (server-workers): a whole number or `auto` (one per
// core Node may use). The embedded database is one session in one process, so it allows only 1.
import { availableParallelism } from 'node:os';
import { ConfigError, type Config } from '../../config/config.js';

/** Upper bound: past it a typo (`--workers 1000`) would exhaust the database's connections at once. */
export const maxWorkers = 256;

/** `--workers 4` → 4, `--workers auto` on 16 cores → 16 (1 on the embedded database); bad values throw a ConfigError naming the setting. */
export function workerCount(
  config: Pick<Config, 'serverWorkers' | 'dbUri'> & Partial<Pick<Config, 'dbPoolAutomaticRecovery' | 'serverUnixSocket'>>,
  cores: number = availableParallelism(),
): number {
  const raw = config.serverWorkers.trim().toLowerCase();
  let n: number;
  // auto on the embedded database is its one worker rather than a refusal.
  if (raw === 'auto') n = config.dbUri === null ? 1 : Math.max(1, cores);
  else if (/^\d+$/.test(raw)) n = Number(raw);
  else throw new ConfigError('server-workers', `expected a whole number or auto, got '${config.serverWorkers}'`);
  if (n < 1 || n > maxWorkers) throw new ConfigError('server-workers', `must be between 1 and ${maxWorkers}, got ${n}`);
  if (n > 1 && config.dbUri === null) {
    throw new ConfigError('server-workers', `the embedded database is one connection in one process and allows 1 worker, got ${n} (use --db-url for more)`);
  }
  // PostgREST has one process: these two options keep its single-process meaning.
  if (n > 1 && config.dbPoolAutomaticRecovery === false) {
    throw new ConfigError('server-workers', `db-pool-automatic-recovery=false (exit when the database connection is lost) needs one process, got ${n} workers`);
  }
  if (n > 1 && config.serverUnixSocket != null) {
    throw new ConfigError('server-workers', `server-unix-socket serves the API from one process, got ${n} workers (use server-port for several)`);
  }
  return n;
}
