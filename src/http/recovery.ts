// db-pool-automatic-recovery = false (PostgREST v13): the database connection lost means exit, for a
// supervisor (systemd, Docker, Kubernetes) to restart PeSquel, instead of answering 503 until it returns.
import type { DbEvent } from '../db/types.js';
import type { Logger } from '../observability/logger.js';

/** The primary's LISTEN session or one of its pooled connections broke (a read replica's do not count: reads fall back to the primary). */
export const primaryConnectionLost = (e: DbEvent): e is Extract<DbEvent, { message: string }> =>
  e.type === 'listener-lost' || (e.type === 'connection-error' && e.replica === undefined);

export interface ExitOnLoss {
  /** StartOptions.onConnectionLost: called by startPesquel when recovery is off and the connection is lost. */
  readonly onConnectionLost: (message: string) => void;
  /** Resolves with exit status 1 once the loss has been logged and whatever ran has closed. */
  readonly exited: Promise<number>;
  /** The server to close when the loss comes (after startPesquel resolved). */
  attach(running: { close(): Promise<void> }): void;
}

/** Closing with a lost database should be quick; past this the exit does not wait any longer. */
const CLOSE_LIMIT_MS = 15_000;

export function exitOnConnectionLoss(log: Logger): ExitOnLoss {
  let running: { close(): Promise<void> } | null = null;
  let lost = false;
  let resolveExit!: (code: number) => void;
  const exited = new Promise<number>((r) => { resolveExit = r; });
  const stop = () => {
    if (running === null) return;
    const limit = setTimeout(() => resolveExit(1), CLOSE_LIMIT_MS);
    limit.unref();
    void running.close().catch(() => undefined).finally(() => { clearTimeout(limit); resolveExit(1); });
  };
  return {
    exited,
    onConnectionLost: (message) => {
      if (lost) return;
      lost = true;
      // The driver's message names the fault (ECONNREFUSED, terminating connection…), never a password.
      log.fatal({ event: 'connection-lost', message }, 'database connection lost and db-pool-automatic-recovery is false: exiting');
      stop();
    },
    attach: (r) => {
      running = r;
      if (lost) stop();
    },
  };
}
