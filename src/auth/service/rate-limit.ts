// Login abuse controls: a fixed window of attempts per client address — in the database
// (auth.address_attempts, DbAddressGate) so that every worker and instance shares it — and, in
// memory, the fallbacks for a database whose init SQL predates those tables: RateLimiter, the
// address window and per account (the submitted email, known or not) an exponential backoff.
// A blocked caller learns only how long to wait, never whether the account exists.
import type { Db } from '../../db/types.js';
import { backoffMs, type AccountGate } from './account-gate.js';

/** The per-address limit (auth-rate-limit-ip). */
export interface AddressGate {
  /** Counts one attempt from `address`; resolves to the seconds to wait when over the limit, else 0. */
  hit(address: string): Promise<number>;
}

export interface RateLimitOptions {
  /** Attempts per address per window. */
  readonly perIp: number;
  /** Consecutive failures per account before backoff starts. */
  readonly perAccount: number;
  readonly windowMs?: number;
  /** Longest backoff. */
  readonly maxBackoffMs?: number;
  readonly now?: () => number;
}

interface Window { start: number; count: number }
interface Failures { count: number; blockedUntil: number; last: number }

const maxTracked = 100_000;

export class RateLimiter implements AccountGate, AddressGate {
  private readonly ips = new Map<string, Window>();
  private readonly accounts = new Map<string, Failures>();
  private readonly now: () => number;

  constructor(private readonly opts: RateLimitOptions) {
    this.now = opts.now ?? Date.now;
  }

  private get windowMs() { return this.opts.windowMs ?? 60_000; }

  /** Counts one attempt from `ip`; returns the seconds to wait when over the limit, else 0. */
  hitIp(ip: string): number {
    const t = this.now();
    let w = this.ips.get(ip);
    if (!w || t - w.start >= this.windowMs) {
      prune(this.ips, (v) => t - v.start >= this.windowMs);
      w = { start: t, count: 0 };
      this.ips.set(ip, w);
    }
    w.count++;
    return w.count > this.opts.perIp ? Math.ceil((w.start + this.windowMs - t) / 1000) : 0;
  }

  hit(address: string): Promise<number> {
    return Promise.resolve(this.hitIp(address));
  }

  /** Seconds the account must wait before its next attempt (0: go ahead). */
  accountWait(account: string): number {
    const f = this.accounts.get(account);
    const t = this.now();
    return f && f.blockedUntil > t ? Math.ceil((f.blockedUntil - t) / 1000) : 0;
  }

  failure(account: string): void {
    const t = this.now();
    let f = this.accounts.get(account);
    if (!f) {
      prune(this.accounts, (v) => v.blockedUntil <= t && t - v.last > 3_600_000);
      f = { count: 0, blockedUntil: 0, last: t };
      this.accounts.set(account, f);
    }
    f.count++;
    f.last = t;
    // 1 s, 2 s, 4 s … after the allowed failures, up to maxBackoff.
    const wait = backoffMs(f.count, { allowance: this.opts.perAccount, maxBackoffMs: this.opts.maxBackoffMs });
    if (wait > 0) f.blockedUntil = t + wait;
  }

  success(account: string): void {
    this.accounts.delete(account);
  }

  /** Checks and counts in one synchronous step, so concurrent attempts cannot all pass the check. */
  reserve(account: string): Promise<number> {
    const wait = this.accountWait(account);
    if (wait === 0) this.failure(account);
    return Promise.resolve(wait);
  }

  succeeded(account: string): Promise<void> {
    this.success(account);
    return Promise.resolve();
  }
}

function prune<V>(map: Map<string, V>, stale: (v: V) => boolean): void {
  if (map.size < maxTracked) return;
  for (const [k, v] of map) if (stale(v)) map.delete(k);
  // Still full of live entries (an attack from many addresses): forget the oldest half.
  if (map.size >= maxTracked) for (const k of [...map.keys()].slice(0, maxTracked / 2)) map.delete(k);
}

// The window restarts once it is windowMs old. Both SET expressions read the row as it was; the
// conflicting row is locked, so concurrent hits from several processes count one after the other.
const restart = `a.window_start <= now() - $3::bigint * interval '1 millisecond'`;
const hitSql = /* sql */ `
INSERT INTO auth.address_attempts AS a (address, window_start, hits) VALUES ($1, now(), 1)
ON CONFLICT (address) DO UPDATE
  SET hits = CASE WHEN ${restart} THEN 1 ELSE a.hits + 1 END,
      window_start = CASE WHEN ${restart} THEN now() ELSE a.window_start END
RETURNING CASE WHEN hits > $2::int
  THEN greatest(1, ceil(extract(epoch FROM window_start + $3::bigint * interval '1 millisecond' - now())))::int ELSE 0 END AS wait`;

const pruneSql = /* sql */ `DELETE FROM auth.address_attempts WHERE window_start < now() - $1::bigint * interval '1 millisecond'`;

/** The per-address window in auth.address_attempts: one statement per attempt, shared by all processes. */
export class DbAddressGate implements AddressGate {
  private prunedAt = Date.now();

  constructor(
    private readonly db: Db,
    private readonly opts: { readonly perIp: number; readonly windowMs?: number },
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  private get windowMs() { return this.opts.windowMs ?? 60_000; }

  async hit(address: string): Promise<number> {
    this.prune();
    const r = await this.db.query<{ wait: number }>(hitSql, [address, this.opts.perIp, this.windowMs]);
    return Number(r.rows[0]?.wait ?? 0);
  }

  /** Forgets finished windows now and then (every address that ever tried would otherwise stay). */
  private prune(): void {
    if (Date.now() - this.prunedAt < 10 * this.windowMs) return;
    this.prunedAt = Date.now();
    this.db.query(pruneSql, [this.windowMs]).catch(this.onError);
  }
}

/** Whether the database has auth.address_attempts (init SQL from before it: the in-memory window is used). */
export async function addressAttemptsTable(db: Db): Promise<boolean> {
  const r = await db.query<{ ok: boolean }>(`SELECT to_regclass('auth.address_attempts') IS NOT NULL AS ok`);
  return r.rows[0]?.ok === true;
}
