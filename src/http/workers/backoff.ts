// How long the primary waits before replacing a worker that exited: at once after a worker that ran
// a while (a one-off crash), doubling from 250 ms to 30 s while replacements keep dying young (a
// crash loop: a bad deploy, a database that refuses connections) so that it does not spin.

/** A worker that ran at least this long counts as healthy: its replacement starts at once. */
export const healthyAfterMs = 30_000;
const firstDelayMs = 250;
const maxDelayMs = 30_000;

/** restartDelay(60_000, 8000) → 0; restartDelay(1000, 0) → 250; restartDelay(1000, 250) → 500. */
export function restartDelay(livedMs: number, previousDelayMs: number): number {
  if (livedMs >= healthyAfterMs) return 0;
  return Math.min(maxDelayMs, Math.max(firstDelayMs, previousDelayMs * 2));
}
