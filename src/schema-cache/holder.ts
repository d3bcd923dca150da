// Holds the current schema cache snapshot and swaps it atomically on reload. Concurrent reload
// requests coalesce into one load; requests keep using the old snapshot until the new one is ready.
import type { Db } from '../db/types.js';
import { loadSchemaCache } from './load.js';
import type { SchemaCache } from './types.js';

export type SchemaEvent =
  | { readonly type: 'schema-loaded'; readonly ms: number; readonly tables: number; readonly functions: number }
  | { readonly type: 'schema-load-failed'; readonly message: string };

/**
 * A load that failed because the database was unreachable is tried again after 0.25 s, doubling to
 * 5 s, this many times: a reload asked for by a NOTIFY (a migration) must not be lost to a
 * connection killed at that moment. Longer outages end with the LISTEN session's reconnection,
 * which reloads anyway.
 */
const RETRIES = 8;

/** Errors of an unreachable database rather than of the catalog queries (PGRST000/003, lost sessions, sockets). */
function unreachable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'PGRST000' || code === 'PGRST003') return true;
  if (typeof code === 'string' && /^(08|57P)/.test(code)) return true;
  return err instanceof Error && !('severity' in err) && !(typeof code === 'string' && /^PGRST/.test(code));
}

export class SchemaCacheHolder {
  private snapshot: SchemaCache | null = null;
  private loading: Promise<SchemaCache> | null = null;
  private again = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private failures = 0;

  constructor(
    private readonly db: Db,
    private schemas: readonly string[],
    private readonly onEvent: (e: SchemaEvent) => void = () => undefined,
    /** db-extra-search-path: their media-type handlers count too. */
    private extraSchemas: readonly string[] = [],
  ) {}

  /** db-schemas / db-extra-search-path changed (in-database configuration): the next load uses them. */
  configure(schemas: readonly string[], extraSchemas: readonly string[]): void {
    this.schemas = schemas;
    this.extraSchemas = extraSchemas;
  }

  current(): SchemaCache | null {
    return this.snapshot;
  }

  /** Loads a new snapshot; a reload asked for during a load runs once more after it. */
  reload(): Promise<SchemaCache> {
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.loading = this.loadLoop().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  private retryLater(): void {
    if (this.retryTimer !== null || this.failures >= RETRIES) return;
    const wait = Math.min(5000, 250 * 2 ** this.failures++);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.reload().catch(() => undefined);
    }, wait);
    this.retryTimer.unref();
  }

  private async loadLoop(): Promise<SchemaCache> {
    let cache: SchemaCache;
    do {
      this.again = false;
      const t0 = performance.now();
      try {
        cache = await loadSchemaCache(this.db, this.schemas, this.extraSchemas);
      } catch (err) {
        this.onEvent({ type: 'schema-load-failed', message: err instanceof Error ? err.message : String(err) });
        if (unreachable(err)) this.retryLater();
        throw err;
      }
      this.failures = 0;
      this.snapshot = cache;
      const functions = [...cache.functions.values()].reduce((n, l) => n + l.length, 0);
      this.onEvent({ type: 'schema-loaded', ms: performance.now() - t0, tables: cache.tables.size, functions });
    } while (this.again);
    return cache;
  }
}
