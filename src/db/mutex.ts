// A FIFO async mutex: PGlite is one session, so PeSquel runs one transaction on it at a time.
export class Mutex {
  private tail: Promise<void> = Promise.resolve();
  private queued = 0;

  get waiting(): number { return this.queued; }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((r) => { release = r; });
    this.queued++;
    try {
      await previous;
    } finally {
      this.queued--;
    }
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
