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
  /** Last lines of the process's output, for error reports. */
  output(): string;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

/**
 * Spawns `node --import tsx <script> ...args` in `cwd` (the repo root) and resolves once a line of its
 * output matches `ready` (first group: the URL).
 */
export function startChild(name: string, script: string, args: readonly string[], ready: RegExp, cwd = repoRoot, timeoutMs = 90_000): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd,
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
    const onData = (d: Buffer) => {
      out = (out + d.toString()).slice(-20_000);
      const m = ready.exec(out);
      if (!m?.[1] || child.pid === undefined) return;
      clearTimeout(timer);
      const url = new URL(m[1]);
      const pid = child.pid;
      resolve({
        name, pid, url: url.origin, host: url.hostname, port: Number(url.port),
        output: () => out.slice(-3000),
        stop: async () => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGTERM');
          const t = setTimeout(() => child.kill('SIGKILL'), 2_000); // results are in; a slow graceful stop only costs time
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
