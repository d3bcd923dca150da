// Login abuse controls, in memory: a fixed window of attempts per client address, and per account
// (the submitted email, known or not) an exponential backoff after repeated failures — the
// fallback AccountGate when the database lacks auth.login_attempts (see account-gate.ts).
// A blocked caller learns only how long to wait, never whether the account exists.
import { backoffMs, type AccountGate } from './account-gate.js';

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

export class RateLimiter implements AccountGate {
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
