// Runs external programs (only `docker` in practice) with argument arrays, never through a shell,
// so paths and names are passed as they are on Windows, macOS and Linux alike.
import { spawn } from 'node:child_process';

export type ExecResult = { code: number; stdout: string; stderr: string };

/** The program is not on PATH. */
export class CommandNotFoundError extends Error {
  constructor(readonly command: string) {
    super(`'${command}' was not found on PATH`);
    this.name = 'CommandNotFoundError';
  }
}

type Options = { env: NodeJS.ProcessEnv; capture: boolean };

function run(command: string, args: readonly string[], opts: Options): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    // stdin is never handed to children: teardown reads its answers from it.
    const stdio = opts.capture ? (['ignore', 'pipe', 'pipe'] as const) : (['ignore', 'inherit', 'inherit'] as const);
    const child = spawn(command, [...args], { env: opts.env, stdio: [...stdio], windowsHide: true });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'ENOENT' ? new CommandNotFoundError(command) : err);
    });
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}

/** Runs and collects stdout/stderr, e.g. `docker info --format ...`. */
export function execCapture(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<ExecResult> {
  return run(command, args, { env, capture: true });
}

/** Runs with output shown to the user (pull, build, up); resolves to the exit code. */
export async function execShow(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return (await run(command, args, { env, capture: false })).code;
}

/** First non-empty line of a program's error output, for one-line messages. */
export function firstLine(text: string): string {
  return text.split(/\r?\n/).map((l) => l.trim()).find((l) => l !== '') ?? '';
}
