// Per-account sign-in backoff, reserved before the password is checked. Each attempt is counted
// as a failure *first* (one atomic statement), so 100 concurrent guesses get at most the allowance
// of argon2 verifications; a right password then forgets the account's failures. Kept in the
// database (auth.login_attempts) so that every instance over it shares the count.
import type { Db } from '../../db/types.js';

export interface AccountGate {
  /** Reserves one attempt: 0 = go ahead (it already counts as a failure), else seconds to wait. */
  reserve(account: string): Promise<number>;
  /** The password was right: the account's failures are forgotten. */
  succeeded(account: string): Promise<void>;
}

export interface BackoffOptions {
  /** Failures allowed before the backoff starts (auth-rate-limit-account). */
  readonly allowance: number;
  /** Longest backoff. */
  readonly maxBackoffMs?: number;
}

/** Milliseconds an account waits after its `failures`-th failure: 1 s, 2 s, 4 s … from the allowance on. */
export function backoffMs(failures: number, o: BackoffOptions): number {
  const over = failures - o.allowance;
  return over < 0 ? 0 : Math.min(1000 * 2 ** Math.min(over, 30), o.maxBackoffMs ?? 900_000);
}

// The account's failure count after this attempt: an account idle for an hour starts again.
const next = `CASE WHEN a.last_at < now() - interval '1 hour' THEN 1 ELSE a.failures + 1 END`;
const blockedAfter = (failures: string) =>
  `CASE WHEN ${failures} >= $2::int THEN now() + least(1000 * 2 ^ least(${failures} - $2::int, 30), $3::bigint) * interval '1 millisecond' END`;

/**
 * One round trip: insert or bump the counter unless the account is blocked; when it is, the
 * outer SELECT (which sees the row as it was) gives the wait. A row another transaction inserted
 * meanwhile is invisible to that SELECT: then the answer is "wait a second".
 */
export const reserveSql = /* sql */ `
WITH reserved AS (
  INSERT INTO auth.login_attempts AS a (account, failures, blocked_until, last_at)
  VALUES ($1, 1, ${blockedAfter('1')}, now())
  ON CONFLICT (account) DO UPDATE SET failures = ${next}, blocked_until = ${blockedAfter(next)}, last_at = now()
  WHERE a.blocked_until IS NULL OR a.blocked_until <= now()
  RETURNING 0 AS wait
)
SELECT wait FROM reserved
UNION ALL
SELECT greatest(1, ceil(extract(epoch FROM a.blocked_until - now())))::int
FROM auth.login_attempts a WHERE a.account = $1 AND NOT EXISTS (SELECT 1 FROM reserved)`;

const pruneSql = /* sql */ `
DELETE FROM auth.login_attempts WHERE last_at < now() - interval '1 hour' AND (blocked_until IS NULL OR blocked_until <= now())`;

const pruneEveryMs = 10 * 60_000;

export class DbAccountGate implements AccountGate {
  private prunedAt = Date.now();

  constructor(private readonly db: Db, private readonly opts: BackoffOptions, private readonly onError: (err: unknown) => void = () => undefined) {}

  async reserve(account: string): Promise<number> {
    this.prune();
    const r = await this.db.query<{ wait: number }>(reserveSql, [account, this.opts.allowance, this.opts.maxBackoffMs ?? 900_000]);
    const row = r.rows[0];
    return row === undefined ? 1 : Number(row.wait);
  }

  async succeeded(account: string): Promise<void> {
    await this.db.query('DELETE FROM auth.login_attempts WHERE account = $1', [account]);
  }

  /** Forgets idle accounts now and then (unknown emails would otherwise pile up). */
  private prune(): void {
    if (Date.now() - this.prunedAt < pruneEveryMs) return;
    this.prunedAt = Date.now();
    this.db.query(pruneSql).catch(this.onError);
  }
}

/** Whether the database has the table (init SQL from before it existed: the in-memory gate is used). */
export async function loginAttemptsTable(db: Db): Promise<boolean> {
  const r = await db.query<{ ok: boolean }>(`SELECT to_regclass('auth.login_attempts') IS NOT NULL AS ok`);
  return r.rows[0]?.ok === true;
}
