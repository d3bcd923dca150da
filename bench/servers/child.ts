// Runs each server under test in its own Node process (so its memory can be read from /proc),
// waits for the line announcing its URL, and guarantees none outlives the benchmark.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface ChildServer {
  readonly name: string;
  readonly pid: number;
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** When it announced readiness, in monotonic microseconds (the clock of V8 CPU profiles). */
  readonly readyAtUs: number;
  /** Last lines of the process's output, for error reports. */
  output(): string;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

export interface ChildOptions {
  readonly name: string;
  readonly script: string;
  readonly args: readonly string[];
  /** Matches the line announcing readiness; its first group is the URL. */
  readonly ready: RegExp;
  /** Working directory, the checkout the script belongs to (default: this repo). */
  readonly cwd?: string;
  /** Extra node flags, e.g. --cpu-prof. */
  readonly nodeArgs?: readonly string[];
  /** How long a SIGTERM may take before SIGKILL (a CPU profile is written at a clean exit). */
  readonly graceMs?: number;
  /** Run compiled JavaScript as is (default: load the script through tsx). */
  readonly compiled?: boolean;
}

/** Spawns `node [--import tsx] <script> ...args` and resolves once its output matches `ready`. */
export function startChild(o: ChildOptions, timeoutMs = 90_000): Promise<ChildServer> {
  const { name, ready } = o;
  const child = spawn(process.execPath, [...(o.nodeArgs ?? []), ...(o.compiled ? [] : ['--import', 'tsx']), o.script, ...o.args], {
    cwd: o.cwd ?? repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  live.add(child);
  let out = '';
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.once('exit', () => live.delete(child));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not start within ${timeoutMs} ms:\n${out.slice(-2000)}`));
    }, timeoutMs);
    // Once ready, only the last chunks are kept, without rescanning: PeSquel logs every request at
    // its default level, and this process also runs the load generator.
    const tail: string[] = [];
    const keep = (d: Buffer) => {
      tail.push(d.toString());
      if (tail.length > 8) tail.shift();
    };
    const onData = (d: Buffer) => {
      out = (out + d.toString()).slice(-20_000);
      const m = ready.exec(out);
      if (!m?.[1] || child.pid === undefined) return;
      child.stdout.off('data', onData).on('data', keep);
      child.stderr.off('data', onData).on('data', keep);
      tail.push(out);
      clearTimeout(timer);
      const url = new URL(m[1]);
      const pid = child.pid;
      const readyAtUs = Number(process.hrtime.bigint() / 1000n);
      resolve({
        name, pid, readyAtUs, url: url.origin, host: url.hostname, port: Number(url.port),
        output: () => tail.join('').slice(-3000),
        stop: async () => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGTERM');
          // Results are in: a slow graceful stop only costs time.
          const t = setTimeout(() => child.kill('SIGKILL'), o.graceMs ?? 2_000);
          await exited;
          clearTimeout(t);
        },
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) before it was ready:\n${out.slice(-2000)}`));
    });
  });
}

export interface Memory {
  readonly rssMb: number;
  readonly peakMb: number;
}

const kb = (status: string, field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);

/** Current and peak (VmHWM) resident memory of a process. */
export function memoryOf(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { rssMb: kb(status, 'VmRSS') / 1024, peakMb: kb(status, 'VmHWM') / 1024 };
}

/** Resets VmHWM to the current RSS (Linux ≥ 4.0), so each run reports its own peak. */
export function resetPeak(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // Not permitted here: peaks then cover the process's whole life, which only overstates them.
  }
}

/** CPU time (user + system) the process has used so far, in seconds. */
export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after "(comm)": state is field 3; utime and stime are fields 14 and 15, in clock ticks (100/s on Linux).
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}
