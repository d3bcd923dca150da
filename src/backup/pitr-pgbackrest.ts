// Runs the pgbackrest binary on this machine, as the owner of the PostgreSQL data directory when we
// are root (pgBackRest refuses files it cannot own, and PostgreSQL must be able to read what it writes).
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';

export type PgbackrestLocal = {
  /** The stanza (pgBackRest's name for one cluster), e.g. `main`. */
  readonly stanza: string;
  /** pgbackrest.conf; pgBackRest's default (/etc/pgbackrest/pgbackrest.conf) when absent. */
  readonly configPath?: string;
  readonly pgData: string;
  readonly binary?: string;
};

export class PgbackrestError extends Error {}

/** `--config=… --stanza=… --pg1-path=…` then the command and its options. */
export function localArgs(p: PgbackrestLocal, command: string, options: readonly string[]): string[] {
  return [...(p.configPath ? [`--config=${p.configPath}`] : []), `--stanza=${p.stanza}`, `--pg1-path=${p.pgData}`, ...options, command];
}

/** The uid/gid to run as: the data directory's owner when we are root, else ourselves. */
function identity(pgData: string): { uid: number; gid: number } | Record<string, never> {
  if (process.getuid?.() !== 0) return {};
  const st = statSync(pgData);
  return st.uid === 0 ? {} : { uid: st.uid, gid: st.gid };
}

/** Runs pgbackrest and resolves with its standard output; a failure carries its last error lines. */
export function runPgbackrest(p: PgbackrestLocal, command: string, options: readonly string[] = []): Promise<string> {
  const binary = p.binary ?? 'pgbackrest';
  return new Promise((resolve, reject) => {
    const child = spawn(binary, localArgs(p, command, options), { stdio: ['ignore', 'pipe', 'pipe'], ...identity(p.pgData) });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
    child.once('error', (e: NodeJS.ErrnoException) => {
      reject(new PgbackrestError(e.code === 'ENOENT' ? `${binary} not found: install pgBackRest (Debian/Ubuntu: apt-get install pgbackrest)` : `${binary}: ${e.message}`));
    });
    child.once('close', (code) => {
      if (code === 0) return resolve(out);
      const lines = `${err}\n${out}`.split('\n').filter((l) => /ERROR|WARN/.test(l));
      reject(new PgbackrestError(`pgbackrest ${command} failed (exit ${code ?? 'signal'}): ${(lines.slice(-2).join(' ') || err.trim().split('\n').at(-1)) ?? ''}`.trim()));
    });
  });
}
