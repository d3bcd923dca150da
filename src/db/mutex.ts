// A FIFO async mutex: PGlite is one session, so PeSquel runs one transaction on it at a time.
export class Mutex {
  private tail: Promise<void> = Promise.resolve();
  private queued = 0;

  get waiting(): number { return this.queued; }

  /** Waits for the lock; the returned function releases it (call it exactly once). */
  async acquire(): Promise<() => void> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((r) => { release = r; });
    this.queued++;
    try {
      await previous;
    } finally {
      this.queued--;
    }
    return release;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
