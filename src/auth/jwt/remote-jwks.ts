// Keys from a JWKS URL (Auth0, Keycloak, Okta…): fetched on first use, kept for maxAge, and
// fetched again when a token names an unknown `kid`, so the issuer can rotate keys without a
// restart. On-demand refreshes are spaced by a cooldown so random kids can't hammer the issuer.
import { keysFromJwks, type KeySource, type VerifyKey } from './keys.js';

export interface RemoteJwksOptions {
  /** Seconds the keys are used before they are fetched again (default 600). */
  readonly maxAgeMs?: number;
  /** Minimum time between two refreshes triggered by unknown kids (default 5 s). */
  readonly cooldownMs?: number;
  readonly timeoutMs?: number;
  readonly now?: () => number;
  readonly onError?: (message: string) => void;
}

export class RemoteJwks implements KeySource {
  private cached: readonly VerifyKey[] = [];
  private fetchedAt = -Infinity;
  private lastOnDemand = -Infinity;
  private inflight: Promise<boolean> | null = null;
  private readonly now: () => number;

  constructor(private readonly url: string, private readonly opts: RemoteJwksOptions = {}) {
    this.now = opts.now ?? Date.now;
  }

  async keys(): Promise<readonly VerifyKey[]> {
    if (this.now() - this.fetchedAt > (this.opts.maxAgeMs ?? 600_000)) await this.load();
    return this.cached;
  }

  async refresh(): Promise<boolean> {
    if (this.inflight) return this.inflight;
    if (this.now() - this.lastOnDemand < (this.opts.cooldownMs ?? 5_000)) return false;
    this.lastOnDemand = this.now();
    return this.load();
  }

  /** Fetches the document; on failure the previous keys stay in use. Concurrent calls share one fetch. */
  private load(): Promise<boolean> {
    this.inflight ??= (async () => {
      try {
        const res = await fetch(this.url, { signal: AbortSignal.timeout(this.opts.timeoutMs ?? 5_000), headers: { accept: 'application/json' } });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        this.cached = keysFromJwks(await res.json());
        this.fetchedAt = this.now();
        return true;
      } catch (err) {
        // Retry at the next request rather than at once: keep the old keys for a short while.
        this.fetchedAt = this.now() - (this.opts.maxAgeMs ?? 600_000) + (this.opts.cooldownMs ?? 5_000);
        this.opts.onError?.(`could not fetch the JWKS from ${this.url}: ${(err as Error).message}`);
        return false;
      } finally {
        this.inflight = null;
      }
    })();
    return this.inflight;
  }
}
