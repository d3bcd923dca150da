// Where log lines go when they go to stdout: buffered in memory and written asynchronously, many
// lines per write, so that logging a request never blocks the event loop on a slow reader and
// does not cost a system call (and a wake-up of the reader) per line. Measured: a write(2) per
// request line (pino's default destination) cost 13–15 % more server CPU per request than
// --log-level error; batched, the difference is within noise (bench/README.md).
// Nothing is lost on a clean exit: what is buffered is written synchronously in process 'exit'.
import { write, writeSync } from 'node:fs';

export interface LineSinkOptions {
  /** Write once this many characters are buffered… */
  readonly minChars?: number;
  /** …or this long after the first buffered line, whichever comes first. */
  readonly maxDelayMs?: number;
  /** Beyond this many buffered characters (a reader that stopped reading) lines are dropped and counted. */
  readonly maxChars?: number;
}

/** The part of a stream pino writes into. */
export interface LineSink {
  write(line: string): boolean;
  /** Resolves (and calls `cb`, as pino's logger.flush(cb) expects) once everything written so far has reached the descriptor. */
  flush(cb?: (err?: Error) => void): Promise<void>;
  /**
   * Writes what is buffered now, synchronously: for process 'exit', when no event loop is left
   * (a write already handed to the OS's thread pool is left to finish: written again it could
   * appear twice, or land in another file if the descriptor were closed and reused).
   */
  flushSync(): void;
}

class FdSink implements LineSink {
  private lines: string[] = [];
  private chars = 0;
  /** The buffer being written by an asynchronous write, and how much of it is written. */
  private inFlight: Buffer | null = null;
  private written = 0;
  private timer: NodeJS.Timeout | null = null;
  private dropped = 0;
  private broken = false;
  private idle: Array<() => void> = [];

  constructor(private readonly fd: number, private readonly minChars: number, private readonly maxDelayMs: number, private readonly maxChars: number) {}

  write(line: string): boolean {
    if (this.broken) return true;
    if (this.chars + line.length > this.maxChars) {
      this.dropped++;
      return false;
    }
    this.lines.push(line);
    this.chars += line.length;
    if (this.inFlight === null) {
      if (this.chars >= this.minChars) this.start();
      else this.timer ??= setTimeout(this.onTimer, this.maxDelayMs).unref();
    }
    return true;
  }

  private readonly onTimer = (): void => {
    this.timer = null;
    if (this.inFlight === null && this.chars > 0) this.start();
  };

  /** Takes everything buffered (plus a note of dropped lines) as one buffer. */
  private take(): Buffer {
    if (this.dropped > 0) {
      this.lines.push(`{"level":40,"time":"${new Date().toISOString()}","dropped":${this.dropped},"msg":"log lines dropped: stdout was not read"}\n`);
      this.dropped = 0;
    }
    const data = Buffer.from(this.lines.join(''), 'utf8');
    this.lines = [];
    this.chars = 0;
    return data;
  }

  private start(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.inFlight = this.take();
    this.written = 0;
    this.next();
  }

  private next(): void {
    const buf = this.inFlight as Buffer;
    write(this.fd, buf, this.written, buf.length - this.written, null, this.onWritten);
  }

  private readonly onWritten = (err: NodeJS.ErrnoException | null, n: number): void => {
    if (this.inFlight === null) return; // flushSync took over
    if (err) {
      // A full non-blocking pipe: try again shortly. Anything else (EPIPE: nobody reads any more)
      // ends logging to this descriptor; a logger must never take the process down.
      if (err.code === 'EAGAIN') {
        setTimeout(() => this.inFlight !== null && this.next(), 10).unref();
        return;
      }
      this.stop();
      return;
    }
    this.written += n;
    if (this.written < this.inFlight.length) return this.next();
    this.inFlight = null;
    if (this.chars >= this.minChars || (this.chars > 0 && this.idle.length > 0)) this.start();
    else if (this.chars > 0) this.timer ??= setTimeout(this.onTimer, this.maxDelayMs).unref();
    else this.settle();
  };

  private settle(): void {
    const waiting = this.idle;
    this.idle = [];
    for (const resolve of waiting) resolve();
  }

  flush(cb?: (err?: Error) => void): Promise<void> {
    let done: Promise<void>;
    if (this.broken || (this.inFlight === null && this.chars === 0 && this.dropped === 0)) done = Promise.resolve();
    else {
      done = new Promise<void>((resolve) => this.idle.push(resolve));
      if (this.inFlight === null) this.start();
    }
    if (cb) void done.then(() => cb());
    return done;
  }

  private stop(): void {
    this.broken = true;
    this.inFlight = null;
    this.lines = [];
    this.chars = 0;
    if (this.timer !== null) clearTimeout(this.timer);
    this.settle();
  }

  flushSync(): void {
    if (this.broken || (this.chars === 0 && this.dropped === 0)) return;
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const buf = this.take();
    for (let off = 0; off < buf.length;) {
      try {
        off += writeSync(this.fd, buf, off, buf.length - off);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') continue; // a full non-blocking pipe at exit: wait for the reader
        this.stop();
        return;
      }
    }
  }
}

let stdoutSink: LineSink | null = null;

/** The process's one stdout sink, flushed at exit. */
export function stdoutLines(): LineSink {
  if (stdoutSink === null) {
    const sink = createLineSink(1);
    process.on('exit', () => sink.flushSync());
    stdoutSink = sink;
  }
  return stdoutSink;
}

/** A sink writing to a file descriptor (the caller flushes it at exit). */
export function createLineSink(fd: number, opts: LineSinkOptions = {}): LineSink {
  return new FdSink(fd, opts.minChars ?? 16 * 1024, opts.maxDelayMs ?? 100, opts.maxChars ?? 8 * 1024 * 1024);
}
