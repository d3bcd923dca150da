// The servers under test, each in its own process: PeSquel (its compiled CLI, exactly as deployed)
// over PostgreSQL directly, through pgBouncer, and embedded; and the baseline servers.
import type { Mode } from '../plan.js';
import type { ServerStack } from '../stack.js';
import type { ChildServer } from './child.js';
import { startChild } from './child.js';
import { PESQUEL_ENTRY } from '../build.js';
import { withReplica } from '../replica.js';

export type Backend = 'direct' | 'pgbouncer' | 'embedded';
/**
 * pesquel (its default settings, as users run it: request lines logged at level info); pq the same
 * with --log-level error (the cost of the default logging, `logging` cells); b1 one round trip; b2
 * one round trip per statement; b3 pgbench; b4 PGlite in-process; pr PeSquel reading from a streaming
 * replica (db-replica-uris, `replicas` cells: bench/replica.ts); pw PeSquel with --workers 2 (`workers`
 * cells: bench/workers.ts).
 */
export type Target = 'pesquel' | 'pq' | 'b1' | 'b2' | 'b3' | 'b4' | 'pr' | 'pw';

export const JWT_SECRET = 'pesquel-bench-jwt-secret-0123456789abcdef';

const API_READY = /API:\s+(http:\/\/[^\s/]+)/;
const BASELINE_READY = /READY (http:\/\/\S+)/;

export interface PesquelDb {
  readonly dbUri?: string;
  readonly listenUri?: string;
  readonly dataDir?: string;
  readonly replicaUris?: string;
}

export interface PesquelRun {
  /** The PeSquel checkout to run (default this one; e.g. a snapshot of HEAD while others edit). */
  readonly root?: string;
  /** Write a V8 CPU profile of the whole run here (node --cpu-prof). */
  readonly profileDir?: string;
  /**
   * Run src/ through tsx instead of the compiled dist/ (the self-check's tiny run: no build in the
   * middle of a test run whose other tests execute dist/, and no stale dist/ either).
   */
  readonly fromSource?: boolean;
  /** Only for the `pq` target: everything else runs PeSquel at its default log level. */
  readonly logLevel?: 'error';
  /** Only for the `pw` target (bench/workers.ts): server-workers. */
  readonly workers?: number;
}

/**
 * PeSquel with its default settings except what a benchmark must set: ports (free ones), the pool
 * size (the baselines' too), a JWT secret (the JWT scenarios) and the database.
 */
export function startPesquel(name: string, db: PesquelDb, poolSize: number, run: PesquelRun = {}): Promise<ChildServer> {
  const args = [
    'start', '--server-host', '127.0.0.1', '--server-port', '0', '--admin-server-port', '0', '--admin-ui-port', '0',
    '--embedded-psql-port', '0', '--db-pool', String(poolSize), '--jwt-secret', JWT_SECRET,
  ];
  if (run.logLevel) args.push('--log-level', run.logLevel);
  if (run.workers) args.push('--workers', String(run.workers));
  if (db.dbUri) args.push('--db-uri', db.dbUri, '--db-init', 'false');
  if (db.listenUri) args.push('--db-listen-uri', db.listenUri);
  if (db.replicaUris) args.push('--db-replica-uris', db.replicaUris);
  if (db.dataDir) args.push('--data-dir', db.dataDir);
  const nodeArgs = run.profileDir ? ['--cpu-prof', '--cpu-prof-dir', run.profileDir, '--cpu-prof-name', `${name}.cpuprofile`] : [];
  const entry = run.fromSource ? { script: 'src/cli/entry.ts' } : { script: PESQUEL_ENTRY, compiled: true };
  return startChild({ name, ...entry, args, ready: API_READY, nodeArgs, graceMs: run.profileDir ? 15_000 : 2_000, ...(run.root ? { cwd: run.root } : {}) });
}

export function startBaselinePg(name: string, uri: string, poolSize: number, mode: 'single' | 'multi', scripts: string): Promise<ChildServer> {
  const args = ['--uri', uri, '--pool', String(poolSize), '--mode', mode, '--scripts', scripts];
  return startChild({ name, script: 'bench/servers/baseline-pg.ts', args, ready: BASELINE_READY });
}

export function startBaselinePglite(name: string, dataDir: string, scripts: string): Promise<ChildServer> {
  return startChild({ name, script: 'bench/servers/baseline-pglite.ts', args: ['--data-dir', dataDir, '--scripts', scripts], ready: BASELINE_READY });
}

export const serverKey = (t: Target, b: Backend) => `${t}-${b}`;

/** Starts every server the mode's cells need (keyed `target-backend`); all or none. */
export async function startFleet(mode: Mode, stack: ServerStack, pgliteDirs: readonly string[], scripts: string, pesquel: PesquelRun): Promise<Map<string, ChildServer>> {
  const needed = new Set(mode.cells.flatMap((c) => c.targets.filter((t) => t !== 'b3').map((t) => serverKey(t, c.backend))));
  const pool = mode.poolSize;
  const starters: Record<string, () => Promise<ChildServer>> = {
    'pesquel-direct': () => startPesquel('pesquel-direct', { dbUri: stack.directUri }, pool, pesquel),
    'pesquel-pgbouncer': () => startPesquel('pesquel-pgbouncer', { dbUri: stack.bouncerUri, listenUri: stack.directUri }, pool, pesquel),
    'pesquel-embedded': () => startPesquel('pesquel-embedded', { dataDir: pgliteDirs[0] as string }, pool, pesquel),
    'pq-direct': () => startPesquel('pq-direct', { dbUri: stack.directUri }, pool, { ...pesquel, logLevel: 'error' }),
    'pw-direct': () => startPesquel('pw-direct', { dbUri: stack.directUri }, pool, { ...pesquel, workers: 2 }),
    'pr-direct': () => withReplica(stack, (uri) => startPesquel('pr-direct', { dbUri: stack.directUri, replicaUris: uri }, pool, pesquel)),
    'b1-direct': () => startBaselinePg('b1-direct', stack.directUri, pool, 'single', scripts),
    'b2-direct': () => startBaselinePg('b2-direct', stack.directUri, pool, 'multi', scripts),
    'b1-pgbouncer': () => startBaselinePg('b1-pgbouncer', stack.bouncerUri, pool, 'single', scripts),
    'b2-pgbouncer': () => startBaselinePg('b2-pgbouncer', stack.bouncerUri, pool, 'multi', scripts),
    'b4-embedded': () => startBaselinePglite('b4-embedded', pgliteDirs[1] as string, scripts),
  };
  const fleet = new Map<string, ChildServer>();
  // Three at a time: starts mix CPU (compiling TypeScript, on two cores) with waiting on databases.
  const queue = [...needed];
  const worker = async () => {
    for (let k = queue.shift(); k !== undefined; k = queue.shift()) {
      const start = starters[k];
      if (start) fleet.set(k, await start());
    }
  };
  try {
    await Promise.all([worker(), worker(), worker()]);
  } catch (err) {
    await Promise.all([...fleet.values()].map((s) => s.stop()));
    throw err;
  }
  return fleet;
}
