// Finds a pg_dump / pg_restore that can talk to a server of a given major version: the one on PATH,
// a newer one under /usr/lib/postgresql/<N>/bin, or — for the compose stack — the one inside its
// `postgres` container (`docker compose -p pesquel exec -T postgres …`), which always matches.
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

export interface PgTool {
  readonly command: string;
  readonly prefix: readonly string[];
  /** Runs inside the compose stack's container: connect with -U/-d over its local socket. */
  readonly inContainer: boolean;
  readonly major: number;
}

function majorOf(binary: string): number | null {
  const r = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  const m = /\(PostgreSQL\)\s+(\d+)/.exec(r.stdout ?? '');
  return r.status === 0 && m ? Number(m[1]) : null;
}

function candidates(name: string): string[] {
  const out = [name];
  try {
    for (const v of readdirSync('/usr/lib/postgresql')) out.push(join('/usr/lib/postgresql', v, 'bin', name));
  } catch {
    // no Debian-style PostgreSQL install
  }
  return out.filter((c) => c === name || existsSync(c));
}

/** A tool able to handle `minMajor`; `useDocker` forces the compose container. */
export function findPgTool(name: 'pg_dump' | 'pg_restore', minMajor: number, useDocker = false): PgTool | null {
  if (!useDocker) {
    const found = candidates(name)
      .map((c) => ({ c, major: majorOf(c) }))
      .filter((x): x is { c: string; major: number } => x.major !== null && x.major >= minMajor)
      .sort((a, b) => b.major - a.major)[0];
    if (found) return { command: found.c, prefix: [], inContainer: false, major: found.major };
  }
  const docker = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
  if (docker.status === 0) return { command: 'docker', prefix: ['compose', '-p', 'pesquel', 'exec', '-T', 'postgres', name], inContainer: true, major: minMajor };
  return null;
}

/**
 * Connection arguments: URI without the password (PGPASSWORD carries it: a command line is visible
 * to every user of the machine in `ps`), or -U/-d inside the container. The password may be in the
 * authority or in the query string (`?password=`).
 */
export function connectionArgs(tool: PgTool, uri: string): { args: string[]; env: NodeJS.ProcessEnv } {
  const u = new URL(uri);
  const user = decodeURIComponent(u.username);
  const database = decodeURIComponent(u.pathname.slice(1)) || user;
  if (tool.inContainer) return { args: ['-U', user, '-d', database], env: process.env };
  const password = u.password !== '' ? decodeURIComponent(u.password) : u.searchParams.get('password');
  u.password = '';
  u.searchParams.delete('password');
  // Without a password in the URI, libpq's own PGPASSWORD / .pgpass apply, as for node-postgres.
  if (password === null) return { args: ['-d', u.toString()], env: process.env };
  return { args: ['-d', u.toString()], env: { ...process.env, PGPASSWORD: password } };
}

/** Runs the tool; stdout goes to `outFile`, `inFile` (if any) to stdin; stderr becomes the error. */
export async function runTool(tool: PgTool, args: readonly string[], env: NodeJS.ProcessEnv, io: { outFile?: string; inFile?: string }): Promise<string> {
  const child = spawn(tool.command, [...tool.prefix, ...args], { env, stdio: [io.inFile ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  const { stdout: childOut, stderr: childErr } = child as unknown as { stdout: NodeJS.ReadableStream; stderr: NodeJS.ReadableStream };
  let stderr = '';
  let stdout = '';
  childErr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const out = io.outFile ? pipeline(childOut, createWriteStream(io.outFile, { mode: 0o600 })) : (async () => { for await (const d of childOut) stdout += String(d); })();
  const input = io.inFile && child.stdin ? pipeline(createReadStream(io.inFile), child.stdin) : Promise.resolve();
  const code = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c) => resolve(c ?? 1));
  });
  await Promise.all([out, input.catch(() => undefined)]);
  const name = tool.prefix.at(-1) ?? tool.command;
  if (code !== 0) throw new Error(`${name} failed: ${stderr.trim().split('\n').slice(-3).join(' ') || `exit code ${code}`}`);
  return stdout;
}
