// Runs `pesquel <args>` (the TypeScript sources, through tsx) in a child process, as a user would.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('../../src/cli/entry.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

export interface CliResult { readonly code: number; readonly stdout: string; readonly stderr: string }

export interface CliProcess {
  readonly child: ChildProcess;
  readonly done: Promise<CliResult>;
  /** Standard output so far. */
  stdout(): string;
}

/** Starts `pesquel <args>` and returns the process, for long-running commands (backup --every). */
export function startPesquelCli(args: readonly string[], opts: { cwd: string; env?: Record<string, string> }): CliProcess {
  // PESQUEL_* from the test's environment must not leak into the command.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(PESQUEL|PGRST)_/.test(k)));
  const child = spawn(process.execPath, ['--import', TSX, ENTRY, ...args], { cwd: opts.cwd, env: { ...env, ...opts.env }, stdio: 'pipe' });
  let stdout = '';
  const done = new Promise<CliResult>((resolve, reject) => {
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
  child.stdin?.end();
  return { child, done, stdout: () => stdout };
}

export function pesquel(args: readonly string[], opts: { cwd: string; env?: Record<string, string> }): Promise<CliResult> {
  return startPesquelCli(args, opts).done;
}
