// The verified-token cache (jwt-cache-max-lifetime): skips signature checks for a token seen
// recently. An entry lives until the cache lifetime or the token's own expiry, whichever is first.

interface Entry<V> {
  readonly value: V;
  readonly until: number;
}

export class TokenCache<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(private readonly maxLifetimeMs: number, private readonly maxEntries = 10_000) {}

  get enabled(): boolean {
    return this.maxLifetimeMs > 0;
  }

  get(token: string, nowMs: number): V | undefined {
    const e = this.entries.get(token);
    if (!e) return undefined;
    if (e.until <= nowMs) {
      this.entries.delete(token);
      return undefined;
    }
    return e.value;
  }

  /** `expiresAtMs`: when the token itself stops being valid (null: never). */
  set(token: string, value: V, nowMs: number, expiresAtMs: number | null): void {
    if (!this.enabled) return;
    const until = Math.min(nowMs + this.maxLifetimeMs, expiresAtMs ?? Infinity);
    if (until <= nowMs) return;
    if (this.entries.size >= this.maxEntries) {
      // Maps iterate in insertion order: drop the oldest entry.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(token, { value, until });
  }
}
