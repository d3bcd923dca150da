// Runs `pesquel <args>` in a child process with a chosen PATH, working folder and stdin, the way a
// user would, and collects the exit code and output.
import { spawn } from 'node:child_process';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNNER = join(dirname(fileURLToPath(import.meta.url)), 'run-cli.ts');
const TSX = import.meta.resolve('tsx');

export type CliResult = { code: number; stdout: string; stderr: string };
export type CliOptions = { cwd: string; path: readonly string[]; stdin?: string; env?: Record<string, string> };

export function runCli(args: readonly string[], opts: CliOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { HOME: process.env.HOME, PATH: opts.path.join(delimiter), ...opts.env };
    const child = spawn(process.execPath, ['--import', TSX, RUNNER, ...args], { cwd: opts.cwd, env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(opts.stdin ?? '');
  });
}
