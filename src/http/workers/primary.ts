// The primary process of `pesquel start --workers N`: checks the ports and the database once, keeps
// the admin port, forks N API workers that share the API port (Node's cluster module), replaces a
// worker that dies (with a backoff, so a crash loop does not spin), forwards schema reloads, and on
// stop drains every worker before it exits. It serves no API request itself.
import cluster, { type Worker } from 'node:cluster';
import type { Server } from 'node:http';
import type { Config } from '../../config/config.js';
import { checkServerReachable } from '../../db/open.js';
import type { Logger } from '../../observability/logger.js';
import { createPrimaryMetrics } from '../../observability/metrics.js';
import { listen, shutdownGraceMs, urlOf } from '../main.js';
import { checkPortsFree, portClaims } from '../ports.js';
import { createWorkersAdminServer } from './admin.js';
import { budgetWarning, connectionBudget } from './budget.js';
import { isFromWorker, slotVariable, type ToWorker, type WorkerStarted } from './messages.js';
import { readinessQuestions } from './readiness.js';
import { restartDelay } from './backoff.js';

interface Slot {
  readonly n: number;
  worker: Worker | null;
  started: WorkerStarted | null;
  forkedAt: number;
  delayMs: number;
  timer: NodeJS.Timeout | null;
}

export interface Supervisor {
  readonly workers: number;
  readonly apiUrl: string;
  readonly adminUrl: string | null;
  readonly adminUiUrl: string | null;
  readonly adminPasswordGenerated: string | null;
  /** Asks every worker to reload its schema cache (SIGUSR1 on the primary). */
  reload(): void;
  /** Asks every worker to read the in-database configuration again (SIGUSR2 on the primary). */
  reloadConfig(): void;
  /** Drains every worker, then closes the admin port; resolves with the exit code. */
  stop(): Promise<number>;
}

/** A worker that could not start during `pesquel start`: the start fails (its own error is above). */
export class WorkerStartError extends Error {}

const describeExit = (code: number | null, signal: string | null) => (signal ? `signal ${signal}` : `exit code ${code ?? '?'}`);

async function warnAboutBudget(config: Config, count: number, log: Logger): Promise<void> {
  try {
    const warning = budgetWarning(await connectionBudget(config, count), count, config.dbPool);
    if (warning) log.warn({ event: 'connection-budget' }, warning);
  } catch (err) {
    log.warn({ event: 'connection-budget' }, `could not check the connection budget: ${(err as Error).message}`);
  }
}

export async function startWorkers(config: Config, log: Logger, count: number): Promise<Supervisor> {
  // Once, before any worker: a busy port or an unreachable database fails the start at once.
  await checkPortsFree(portClaims(config));
  await checkServerReachable(config);
  await warnAboutBudget(config, count, log);

  const slots: Slot[] = Array.from({ length: count }, (_, i) => ({ n: i + 1, worker: null, started: null, forkedAt: 0, delayMs: 0, timer: null }));
  const live = () => slots.filter((s) => s.started !== null && s.worker?.isConnected() === true);
  const metrics = createPrimaryMetrics({ configured: count, alive: () => live().length });
  let stopping = false;
  let starting = true;
  let failStart: (err: Error) => void = () => undefined;
  let allStarted: () => void = () => undefined;
  const started = new Promise<void>((resolve, reject) => { allStarted = resolve; failStart = reject; });

  const readiness = readinessQuestions(tell);
  const ready = async () => {
    const answers = await Promise.all(slots.map((s) => (s.worker ? readiness.ask(s.worker) : null)));
    return { ok: live().length === count && answers.every((a) => a?.ready === true), body: answers.find((a) => a?.body !== undefined)?.body };
  };

  const fork = (slot: Slot) => {
    slot.timer = null;
    slot.started = null;
    slot.forkedAt = Date.now();
    const w = cluster.fork({ [slotVariable]: String(slot.n) });
    slot.worker = w;
    w.on('error', (err) => log.warn({ event: 'worker-ipc-error', worker: slot.n, message: err.message }, 'worker channel error'));
    w.on('message', (m: unknown) => {
      if (!isFromWorker(m)) return;
      if (m.type === 'pesquel:readiness') return readiness.answered(m);
      slot.started = m;
      if (!starting) log.info({ event: 'worker-replaced', worker: slot.n, pid: w.process.pid }, `worker ${slot.n} is serving again (pid ${w.process.pid})`);
      else if (slots.every((s) => s.started !== null)) allStarted();
    });
    w.on('exit', (code, signal) => {
      if (slot.worker === w) slot.worker = null;
      const how = describeExit(code, signal);
      if (stopping) return;
      if (starting) return failStart(new WorkerStartError(`worker ${slot.n} could not start (${how}); its error is above`));
      slot.delayMs = restartDelay(Date.now() - slot.forkedAt, slot.delayMs);
      metrics.restarts.inc();
      log.error({ event: 'worker-exited', worker: slot.n, pid: w.process.pid, code, signal, restartInMs: slot.delayMs },
        `worker ${slot.n} (pid ${w.process.pid}) exited with ${how}; starting a new one${slot.delayMs > 0 ? ` in ${slot.delayMs} ms` : ''}`);
      slot.timer = setTimeout(() => fork(slot), slot.delayMs);
    });
  };

  let admin: Server | null = null;
  let adminUrl: string | null = null;
  const stopAll = async (): Promise<number> => {
    stopping = true;
    let code = 0;
    const exits = slots.map((s) => {
      if (s.timer) clearTimeout(s.timer);
      const w = s.worker;
      if (!w) return Promise.resolve();
      const serving = s.started !== null;
      return new Promise<void>((resolve) => {
        // A serving worker drains and exits 0 (else the primary's exit code says it did not).
        w.once('exit', (c, sig) => { if (serving && (c !== 0 || sig !== null)) code = 1; resolve(); });
        // A worker still starting has no handler yet: SIGTERM ends it.
        if (serving) tell(w, { type: 'pesquel:stop' });
        else w.process.kill('SIGTERM');
      });
    });
    const killer = setTimeout(() => {
      for (const s of slots) if (s.worker) {
        log.error({ event: 'worker-killed', worker: s.n }, `worker ${s.n} did not stop in time: killed`);
        s.worker.process.kill('SIGKILL');
      }
    }, shutdownGraceMs + 10_000);
    await Promise.all(exits);
    clearTimeout(killer);
    if (admin) await new Promise<void>((r) => admin?.close(() => r()));
    return code;
  };

  try {
    if (config.adminServerPort > 0) {
      const server = createWorkersAdminServer({ metrics, ready });
      admin = server;
      adminUrl = urlOf(config.adminServerHost, await listen(server, config.adminServerPort, config.adminServerHost, portClaims(config).find((c) => c.option === 'admin-server-port')));
    }
    for (const s of slots) fork(s);
    await started;
  } catch (err) {
    await stopAll();
    throw err;
  }
  starting = false;
  const first = slots[0]?.started as WorkerStarted;
  let stopped: Promise<number> | null = null;
  return {
    workers: count, apiUrl: first.apiUrl, adminUrl, adminUiUrl: first.adminUiUrl, adminPasswordGenerated: first.adminPassword,
    reload: () => { for (const s of slots) if (s.worker) tell(s.worker, { type: 'pesquel:reload' }); },
    reloadConfig: () => { for (const s of slots) if (s.worker) tell(s.worker, { type: 'pesquel:reload-config' }); },
    stop: () => (stopped ??= stopAll()),
  };
}

function tell(w: Worker, m: ToWorker): void {
  if (w.isConnected()) w.send(m, undefined, () => undefined);
}
