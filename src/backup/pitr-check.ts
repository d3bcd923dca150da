// After a point-in-time restore: waits until the started server has replayed its WAL and been promoted,
// then counts the rows of every table (the operator compares them with what they expect) and asks the API.
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { rowCounts } from './catalog.js';
import { clientConn } from './postgres.js';

/** The restored cluster did not come back as expected (the files are restored either way). */
export class PitrCheckError extends Error {}

export type RestoredCounts = { readonly tables: number; readonly rows: number; readonly counts: Record<string, number> };

async function promotedCounts(url: string): Promise<RestoredCounts | 'recovering'> {
  const client = new pg.Client({ connectionString: url, application_name: 'pesquel-restore-check' });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const r = await client.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r');
    if (r.rows[0]?.r === true) return 'recovering';
    const counts = await rowCounts(clientConn(client));
    return { tables: Object.keys(counts).length, rows: Object.values(counts).reduce((a, b) => a + b, 0), counts };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Polls `url` until the server accepts connections and is out of recovery, or `timeoutMs` passes. */
export async function waitPromoted(url: string, timeoutMs: number, intervalMs = 500): Promise<RestoredCounts> {
  const deadline = Date.now() + timeoutMs;
  let last: string;
  for (;;) {
    try {
      const r = await promotedCounts(url);
      if (r !== 'recovering') return r;
      last = 'still in recovery (replaying WAL)';
    } catch (err) {
      last = (err as Error).message.split('\n')[0] ?? 'not reachable';
    }
    if (Date.now() >= deadline) throw new PitrCheckError(`PostgreSQL did not come back promoted within ${Math.round(timeoutMs / 1000)} s: ${last}`);
    await sleep(intervalMs);
  }
}

/** GET `url`: the API answers when the status is below 500. Returns the status. */
export async function apiAnswers(url: string, timeoutMs = 10_000): Promise<number> {
  let r: Response;
  try {
    r = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await r.arrayBuffer();
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    throw new PitrCheckError(`the API at ${url} does not answer (${cause})`);
  }
  if (r.status >= 500) throw new PitrCheckError(`the API at ${url} answered ${r.status}`);
  return r.status;
}
