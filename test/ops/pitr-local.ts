// Test support for pgBackRest against a harness PostgreSQL server: a posix repository and config in a
// temp folder owned by the server's OS user, WAL archiving switched on, and pg_ctl / pgbackrest run as that user.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import type { PgServer } from '../helpers/postgres-server.js';

export const STANZA = 'pitrtest';

export type PitrFixture = {
  dir: string; config: string; cipherPass: string;
  run(args: string[]): Promise<string>;
  pgCtl(args: string[]): Promise<void>;
  /** Runs a program as the server's OS user, with the superuser's password for libpq. */
  runAsOwner(file: string, args: string[], env: Record<string, string>): Promise<string>;
  cleanup(): void;
};

/** The repository: a folder (posix) by default, or these `repo1-*` lines (e.g. an S3 store). */
export type PitrRepoLines = (dir: string) => string;
const posixRepo: PitrRepoLines = (dir) => `repo1-path=${join(dir, 'repo')}`;

/** Async on purpose: a test may serve the repository (S3) from its own event loop. */
function exec(file: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; uid?: number; gid?: number }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, ...opts }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${file} ${args.join(' ')} failed: ${stderr}${stdout}`, { cause: err }));
      else resolve(stdout);
    });
    child.stdin?.end();
  });
}

function pgCtlPath(major: number): string {
  const debian = `/usr/lib/postgresql/${major}/bin/pg_ctl`;
  return existsSync(debian) ? debian : 'pg_ctl';
}

/** Sets up the repository and config for `pg`, switches archiving on (ALTER SYSTEM + restart), creates the stanza. */
export async function pitrFixture(server: PgServer, repoLines: PitrRepoLines = posixRepo): Promise<PitrFixture> {
  const owner = statSync(server.dataDir);
  const as: { uid?: number; gid?: number } = process.getuid?.() === 0 ? { uid: owner.uid, gid: owner.gid } : {};
  const dir = mkdtempSync(join(tmpdir(), 'pesquel-pitr-'));
  chmodSync(dir, 0o755);
  const repo = join(dir, 'repo');
  const config = join(dir, 'pgbackrest.conf');
  const cipherPass = randomBytes(24).toString('hex');
  for (const d of [repo, join(dir, 'lock'), join(dir, 'log')]) mkdirSync(d, { mode: 0o750 });
  writeFileSync(config, `[global]
${repoLines(dir)}
repo1-retention-full=2
repo1-cipher-type=aes-256-cbc
repo1-cipher-pass=${cipherPass}
lock-path=${join(dir, 'lock')}
log-path=${join(dir, 'log')}
log-level-console=warn
log-level-file=off
start-fast=y
compress-type=lz4

[${STANZA}]
pg1-path=${server.dataDir}
pg1-port=${server.port}
pg1-socket-path=${dirname(server.dataDir)}
pg1-user=${server.superUser}
`, { mode: 0o600 });
  if (as.uid !== undefined && as.gid !== undefined) for (const p of [dir, repo, join(dir, 'lock'), join(dir, 'log'), config]) chownSync(p, as.uid, as.gid);
  const env = { ...process.env, PGPASSWORD: server.superPassword };
  const run = (args: string[]) => exec('pgbackrest', [`--config=${config}`, `--stanza=${STANZA}`, ...args], { env, ...as });
  const pgCtl = async (args: string[]) => { await exec(pgCtlPath(server.majorVersion), [...args, '-D', server.dataDir, '-s'], { cwd: dir, ...as }); };
  const client = new pg.Client({ connectionString: server.superUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('ALTER SYSTEM SET archive_mode = on');
    await client.query(`ALTER SYSTEM SET archive_command = ${client.escapeLiteral(`pgbackrest --config=${config} --stanza=${STANZA} archive-push %p`)}`);
  } finally {
    await client.end();
  }
  await server.restart();
  await run(['stanza-create']);
  const runAsOwner = (file: string, args: string[], extra: Record<string, string>) => exec(file, args, { env: { ...env, ...extra }, cwd: dir, ...as });
  return { dir, config, cipherPass, run, pgCtl, runAsOwner, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
