// One API worker of several (server-workers > 1), in a cluster worker process: serves the API on
// the port it shares with its siblings, answers the primary's readiness questions and schema reload
// requests, and drains on 'stop', SIGTERM or SIGINT. (A worker whose primary is gone is ended by
// Node's cluster module itself, so none outlives a primary killed with SIGKILL.)
import type { Config } from '../../config/config.js';
import type { Logger } from '../../observability/logger.js';
import { shareMetricsWithPrimary } from '../../observability/metrics.js';
import { readyBody } from '../admin-server.js';
import { startPesquel, type Running } from '../main.js';
import { isToWorker, type FromWorker } from './messages.js';

const send = (m: FromWorker) => {
  if (process.connected) process.send?.(m, undefined, {}, () => undefined);
};

/** How long /ready waits for this worker's database to answer (the primary waits a little longer). */
export const readyTimeoutMs = 5000;

/**
 * The configuration a worker runs with: the primary keeps the admin port (/metrics, /ready), and
 * only slot 1 serves the admin UI (its sessions live in that process's memory).
 */
export const workerConfig = (config: Config, slot: number): Config =>
  Object.freeze({ ...config, adminServerPort: 0, adminUiPort: slot === 1 ? config.adminUiPort : 0 });

/** Starts this worker; resolves with its exit code once it has stopped. Start errors are thrown. */
export async function runWorker(config: Config, logger: Logger, slot: number): Promise<number> {
  // Before anything else: a scrape during our start must get an answer, not a 5 s timeout.
  shareMetricsWithPrimary();
  const running: Running = await startPesquel(workerConfig(config, slot), { logger, worker: slot });
  if (running.adminPasswordGenerated) await running.keepAdminPassword().catch((err: unknown) => {
    logger.warn({ event: 'admin-password-generated' }, `the generated admin password could not be stored: ${(err as Error).message}`);
  });
  send({ type: 'pesquel:started', apiUrl: running.apiUrl, adminUiUrl: running.adminUiUrl, adminPassword: running.adminPasswordGenerated });
  return new Promise<number>((resolveExit) => {
    let stopping = false;
    const stop = (why: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ event: 'worker-stopping', worker: slot, why }, 'worker stopping: finishing in-flight requests');
      running.close().then(() => resolveExit(0), (err: unknown) => {
        logger.error({ err, worker: slot }, 'error while stopping');
        resolveExit(1);
      });
    };
    const reload = () => void running.reloadSchema();
    process.on('message', (m: unknown) => {
      if (!isToWorker(m)) return;
      if (m.type === 'pesquel:stop') stop('asked by the primary');
      else if (m.type === 'pesquel:reload') reload();
      else if (m.type === 'pesquel:reload-config') void running.reloadConfig();
      else {
        const id = m.id;
        const db = running.db;
        db.ping(readyTimeoutMs).then(
          (up) => send({ type: 'pesquel:readiness', id, ready: up && running.schema.current() !== null, ...(db.backends ? { body: readyBody(up, db.backends()) } : {}) }),
          () => send({ type: 'pesquel:readiness', id, ready: false }),
        );
      }
    });
    // Ctrl-C reaches every process of the terminal's group; a supervisor may signal workers directly.
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGUSR1', reload);
    process.on('SIGUSR2', () => void running.reloadConfig());
  });
}
