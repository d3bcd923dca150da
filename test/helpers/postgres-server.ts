// Test harness: starts throwaway PostgreSQL servers (copied from a cached initdb template), streaming
// replicas of them (pg_basebackup -R) and pgBouncer in front of them on free loopback ports, and makes
// sure none of them outlive the test process.
import { execFile, spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  accessSync, appendFileSync, chownSync, closeSync, constants, existsSync, mkdtempSync, openSync,
  readFileSync, readdirSync, readlinkSync, realpathSync, renameSync, rmSync, statSync, statfsSync, writeFileSync,
} from 'node:fs';
import { once } from 'node:events';
import { createConnection } from 'node:net';
import { freePort } from '../ops/free-port.js';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';

export interface PgServer {
  readonly host: string;
  readonly port: number;
  readonly superUser: string;
  readonly superPassword: string;
  /** Superuser URL of `database`. */
  readonly superUrl: string;
  readonly majorVersion: number;
  readonly dataDir: string;
  /** The database created at start (`pesquel` unless `startPostgres({ database })` says otherwise). */
  readonly database: string;
  /** `url('app', 'pw')` → `postgres://app:pw@127.0.0.1:PORT/pesquel` (parts URL-encoded). */
  url(user: string, password: string, database?: string): string;
  /** Immediate shutdown, then removes the server's directory. Idempotent. */
  stop(): Promise<void>;
  /** Stops (fast shutdown) then starts again on the same port and data. */
  restart(): Promise<void>;
}

/** A hot standby streaming from a PgServer (physical replication slot, so a halted one can catch up). */
export interface PgReplica extends PgServer {
  /** Stops the replica (fast shutdown) and keeps its data; resume() starts it again on the same port. */
  halt(): Promise<void>;
  resume(): Promise<void>;
  /** Waits until the replica has replayed everything the primary had written when called. */
  catchUp(timeoutMs?: number): Promise<void>;
}

export interface PgBouncerServer {
  readonly port: number;
  url(user: string, password: string, database?: string): string;
  stop(): Promise<void>;
}

export interface PgBouncerOptions {
  /** Accounts pgBouncer lets in (SCRAM, plain-text userlist); the server's superuser is always added. */
  users: { name: string; password: string }[];
  poolMode?: 'transaction' | 'session';
  /** `default_pool_size`: server connections per (user, database); default 20 as in pgBouncer. */
  poolSize?: number;
}

const HOST = '127.0.0.1';
const SUPERUSER = 'postgres';
/** The OS account servers run as when we are root: initdb, postgres and pgBouncer all refuse root. */
const SERVER_OS_USER = 'postgres';
const RUN_PREFIX = 'pesquel-pg-run-';
const SHM_DIR = '/dev/shm';
const SHM_MIN_FREE = 2 * 1024 ** 3; // containers often give /dev/shm only 64 MB, and PostgreSQL needs it too
const BOUNCER_PREFIX = 'pesquel-pgbouncer-';
const PG_TOOLS = ['initdb', 'pg_ctl', 'postgres'] as const;
const REPLICA_PREFIX = 'pesquel_replica_'; // replication slot names on the primary
// Sorting: C collation (byte order, like the fast path PostgreSQL uses for "C"); character classes: UTF-8.
const INITDB_ARGS = [`--username=${SUPERUSER}`, '--auth=scram-sha-256', '--encoding=UTF8', '--no-sync', '--locale=C',
  '--wal-segsize=1']; // 1 MB WAL segments instead of 16: less to copy per server
const INITDB_CTYPE = '--lc-ctype=C.UTF-8';
// Throwaway servers trade durability for speed; listen on loopback TCP only.
const TEMPLATE_CONF = `
# test/helpers/postgres-server.ts
listen_addresses = '${HOST}'
fsync = off
synchronous_commit = off
full_page_writes = off
`;

// ---------------------------------------------------------------- binaries and OS user

interface PgBin { readonly dir: string; readonly version: string; readonly major: number }
interface OsUser { readonly uid: number; readonly gid: number }

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function pathDirs(): string[] {
  return (process.env['PATH'] ?? '').split(delimiter).filter((d) => d !== '');
}

function hasPgTools(dir: string): boolean {
  return PG_TOOLS.every((tool) => isExecutable(join(dir, tool)));
}

function findPgBinDir(): string | undefined {
  for (const dir of pathDirs()) {
    const initdb = join(dir, 'initdb');
    if (!isExecutable(initdb)) continue;
    // PATH often holds symlinks (/usr/local/bin/initdb → /usr/lib/postgresql/15/bin/initdb): use the real dir.
    const real = dirname(realpathSync(initdb));
    if (hasPgTools(real)) return real;
    if (hasPgTools(dir)) return dir;
  }
  const root = '/usr/lib/postgresql';
  try {
    const versions = readdirSync(root).filter((v) => /^\d+(\.\d+)?$/.test(v)).sort((a, b) => Number(b) - Number(a));
    return versions.map((v) => join(root, v, 'bin')).find(hasPgTools);
  } catch {
    return undefined;
  }
}

let pgBinCache: PgBin | null | undefined;
function pgBin(): PgBin | undefined {
  if (pgBinCache === undefined) {
    pgBinCache = null;
    const dir = findPgBinDir();
    if (dir !== undefined) {
      const out = spawnSync(join(dir, 'postgres'), ['--version'], { encoding: 'utf8' }).stdout ?? '';
      const m = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(out);
      if (m?.[1] !== undefined) pgBinCache = { dir, version: m[2] ? `${m[1]}.${m[2]}` : m[1], major: Number(m[1]) };
    }
  }
  return pgBinCache ?? undefined;
}

function pgBouncerBinary(): string | undefined {
  // Debian puts it in /usr/sbin, which is not on a non-root PATH.
  return [...pathDirs(), '/usr/sbin', '/usr/local/sbin'].map((d) => join(d, 'pgbouncer')).find(isExecutable);
}

/** True when initdb, pg_ctl and postgres were found (PATH, then the newest /usr/lib/postgresql/N/bin). */
export function pgBinariesAvailable(): boolean {
  return pgBin() !== undefined;
}

export function pgBouncerAvailable(): boolean {
  return pgBouncerBinary() !== undefined;
}

function lookupUser(name: string): OsUser | undefined {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

let osUserCache: OsUser | undefined;
/** undefined = run as ourselves; when root, the `postgres` account (created if missing). */
function serverOsUser(): OsUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  if (osUserCache) return osUserCache;
  let user = lookupUser(SERVER_OS_USER);
  if (!user) {
    const groupExists = spawnSync('getent', ['group', SERVER_OS_USER]).status === 0;
    spawnSync('useradd', [
      '--system', '--no-create-home', '--home-dir', '/var/lib/postgresql', '--shell', '/usr/sbin/nologin',
      ...(groupExists ? ['--gid', SERVER_OS_USER] : ['--user-group']), SERVER_OS_USER,
    ], { stdio: 'ignore' });
    user = lookupUser(SERVER_OS_USER); // a concurrent test process may have created it first: fine either way
  }
  if (!user) throw new Error(`running as root, and could not find or create the OS user "${SERVER_OS_USER}"`);
  osUserCache = user;
  return user;
}

function own(path: string, user: OsUser | undefined): void {
  if (user) chownSync(path, user.uid, user.gid);
}

function writePrivate(path: string, text: string, user: OsUser | undefined): void {
  writeFileSync(path, text, { mode: 0o600 });
  own(path, user);
}

/**
 * Where servers live: /dev/shm when it is a roomy tmpfs (copying a data directory there takes ~0.1 s against
 * ~0.5 s on this machine's disk), else os.tmpdir(); as root, only a directory the server user can reach.
 */
function baseDir(user: OsUser | undefined): string {
  const usable = (dir: string, minFreeBytes: number): boolean => {
    try {
      accessSync(dir, constants.W_OK | constants.X_OK);
      const fs = statfsSync(dir);
      if (fs.bavail * fs.bsize < minFreeBytes) return false;
      for (let cur = dir; user; cur = dirname(cur)) {
        if ((statSync(cur).mode & 0o001) === 0) return false; // e.g. TMPDIR under /root
        if (dirname(cur) === cur) break;
      }
      return true;
    } catch {
      return false;
    }
  };
  return [SHM_DIR, tmpdir()].find((dir) => usable(dir, dir === SHM_DIR ? SHM_MIN_FREE : 0)) ?? '/tmp';
}

// ---------------------------------------------------------------- child processes

function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { LC_ALL: 'C' }; // English messages: startup failures are matched on text
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('PG') && key !== 'LC_ALL') env[key] = value;
  }
  return env;
}

function asUser(user: OsUser | undefined): { uid?: number; gid?: number } {
  return user ? { uid: user.uid, gid: user.gid } : {};
}

function run(file: string, args: readonly string[], cwd: string, user: OsUser | undefined, timeoutMs = 90_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd, env: childEnv(), timeout: timeoutMs, maxBuffer: 8 << 20, ...asUser(user) }, (err, stdout) => {
      if (err) reject(new Error(`${basename(file)} ${args.join(' ')}: ${err.message.trim()} ${stdout}`.trim(), { cause: err }));
      else resolve(stdout);
    });
  });
}

/** Whether a process is alive (zombies count as dead), optionally checking its command name. */
function isRunning(pid: number, comm?: string): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    if (existsSync('/proc/self/stat')) return false;
    try { // not Linux
      process.kill(pid, 0);
      return true;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
  const close = stat.lastIndexOf(')'); // "pid (comm) S ppid …"; comm may contain spaces and parentheses
  const state = stat.charAt(close + 2);
  if (state === 'Z' || state === 'X') return false;
  return comm === undefined || stat.slice(stat.indexOf('(') + 1, close) === comm;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ host: HOST, port });
    sock.once('connect', () => { sock.destroy(); resolve(true); });
    sock.once('error', () => resolve(false));
  });
}

function tail(path: string, lines = 30): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

function pgUrl(port: number, user: string, password: string, database: string): string {
  const enc = encodeURIComponent;
  return `postgres://${enc(user)}:${enc(password)}@${HOST}:${port}/${enc(database)}`;
}

// ---------------------------------------------------------------- cleanup at exit, and after crashed runs

const running = new Set<() => void>();
let hooksInstalled = false;

function killAllSync(): void {
  for (const kill of [...running]) {
    running.delete(kill);
    try {
      kill();
    } catch {
      // best effort: the process is exiting
    }
  }
}

/** Registers a synchronous killer run at process exit or on SIGINT/SIGTERM/SIGHUP; returns its remover. */
function track(killSync: () => void): () => void {
  running.add(killSync);
  if (!hooksInstalled) {
    hooksInstalled = true;
    process.on('exit', killAllSync);
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(sig, () => {
        killAllSync();
        // Nobody else handles it: re-raise so the default action (terminate) still happens.
        if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
      });
    }
  }
  return () => running.delete(killSync);
}

interface Owner { readonly pid: number; readonly ns: string; readonly child?: number }

function pidNamespace(): string {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return '';
  }
}

function writeOwner(dir: string, child?: number): void {
  const owner: Owner = { pid: process.pid, ns: pidNamespace(), ...(child === undefined ? {} : { child }) };
  writeFileSync(join(dir, 'owner.json'), JSON.stringify(owner));
}

function postmasterPid(dataDir: string): number | undefined {
  const first = tail(join(dataDir, 'postmaster.pid'), 1000).split('\n')[0];
  return first ? Number(first) : undefined;
}

let reaped = false;
/**
 * A test process killed with SIGKILL cannot run its exit handler: the next start stops the servers
 * it left (directories whose owner process is gone, in our PID namespace) and removes their directories.
 */
function reapOrphans(base: string, bin: PgBin, user: OsUser | undefined): void {
  if (reaped) return;
  reaped = true;
  const ns = pidNamespace();
  let names: string[];
  try {
    names = readdirSync(base).filter((n) => n.startsWith(RUN_PREFIX) || n.startsWith(BOUNCER_PREFIX));
  } catch {
    return;
  }
  for (const name of names) {
    const dir = join(base, name);
    let owner: Owner;
    try {
      owner = JSON.parse(readFileSync(join(dir, 'owner.json'), 'utf8')) as Owner;
    } catch {
      continue;
    }
    if (owner.ns !== ns || isRunning(owner.pid)) continue;
    try {
      const pid = postmasterPid(join(dir, 'data'));
      if (name.startsWith(RUN_PREFIX) && pid !== undefined && isRunning(pid, 'postgres')) {
        spawnSync(join(bin.dir, 'pg_ctl'), ['stop', '-D', join(dir, 'data'), '-m', 'immediate', '-w', '-t', '20', '-s'],
          { cwd: dir, env: childEnv(), stdio: 'ignore', ...asUser(user) });
      }
      if (owner.child !== undefined && isRunning(owner.child, 'pgbouncer')) process.kill(owner.child, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // another user's leftovers: not ours to clean
    }
  }
}

// ---------------------------------------------------------------- initdb template

interface Template { readonly dataDir: string; readonly superPassword: string }

function readTemplate(dir: string, uid: number): Template | undefined {
  try {
    if (statSync(dir).uid !== uid) return undefined; // someone else's directory in /tmp: do not trust it
    if (!existsSync(join(dir, 'data', 'PG_VERSION'))) return undefined;
    return { dataDir: join(dir, 'data'), superPassword: readFileSync(join(dir, 'superuser.pw'), 'utf8').trim() };
  } catch {
    return undefined;
  }
}

async function initdb(bin: PgBin, dataDir: string, pwfile: string, cwd: string, user: OsUser | undefined): Promise<void> {
  const args = ['-D', dataDir, `--pwfile=${pwfile}`, ...INITDB_ARGS];
  try {
    await run(join(bin.dir, 'initdb'), [...args, INITDB_CTYPE], cwd, user);
  } catch {
    rmSync(dataDir, { recursive: true, force: true }); // no C.UTF-8 locale on this system: plain C
    await run(join(bin.dir, 'initdb'), args, cwd, user);
  }
}

/**
 * One initdb per PostgreSQL version, OS user and settings, shared by all test processes through a directory
 * in the temp dir. Concurrent processes each build a private copy and rename it into place; the losers use
 * the winner's copy.
 */
async function buildTemplate(bin: PgBin, user: OsUser | undefined, base: string): Promise<Template> {
  const uid = user?.uid ?? process.getuid?.() ?? 0;
  const key = createHash('sha256').update([bin.dir, TEMPLATE_CONF, ...INITDB_ARGS, INITDB_CTYPE].join('\n')).digest('hex');
  const dir = join(base, `pesquel-pg-template-${bin.version}-${uid}-${key.slice(0, 10)}`);
  const existing = readTemplate(dir, uid);
  if (existing) return existing;
  const tmp = mkdtempSync(`${dir}.tmp-`);
  try {
    own(tmp, user);
    const superPassword = randomBytes(18).toString('hex');
    writePrivate(join(tmp, 'superuser.pw'), `${superPassword}\n`, user);
    await initdb(bin, join(tmp, 'data'), join(tmp, 'superuser.pw'), tmp, user);
    appendFileSync(join(tmp, 'data', 'postgresql.conf'), TEMPLATE_CONF);
    try {
      renameSync(tmp, dir);
    } catch (err) {
      const winner = readTemplate(dir, uid);
      if (!winner) throw err;
      return winner;
    }
    return { dataDir: join(dir, 'data'), superPassword };
  } finally {
    rmSync(tmp, { recursive: true, force: true }); // gone already when the rename succeeded
  }
}

let templatePromise: Promise<Template> | undefined;
function template(bin: PgBin, user: OsUser | undefined, base: string): Promise<Template> {
  templatePromise ??= buildTemplate(bin, user, base).catch((err: unknown) => {
    templatePromise = undefined; // let a later start try again
    throw err;
  });
  return templatePromise;
}

// ---------------------------------------------------------------- PostgreSQL

class LocalPgServer implements PgServer {
  readonly host = HOST;
  readonly superUser = SUPERUSER;
  readonly dataDir: string;
  readonly majorVersion: number;
  port = 0;
  protected stopped = false;
  protected untrack: () => void = () => false;

  constructor(
    readonly bin: PgBin,
    readonly dir: string,
    readonly user: OsUser | undefined,
    readonly database: string,
    readonly superPassword = randomBytes(18).toString('hex'),
  ) {
    this.dataDir = join(dir, 'data');
    this.majorVersion = bin.major;
  }

  get superUrl(): string {
    return this.url(this.superUser, this.superPassword);
  }

  url(user: string, password: string, database = this.database): string {
    return pgUrl(this.port, user, password, database);
  }

  protected get logFile(): string {
    return join(this.dir, 'postgres.log');
  }

  protected pgCtl(args: readonly string[]): Promise<string> {
    return run(join(this.bin.dir, 'pg_ctl'), [...args, '-D', this.dataDir, '-s'], this.dir, this.user);
  }

  protected async pgCtlStart(): Promise<void> {
    try {
      await this.pgCtl(['start', '-l', this.logFile, '-w', '-t', '60']);
    } catch (err) {
      throw new Error(`PostgreSQL did not start on port ${this.port}:\n${tail(this.logFile)}`, { cause: err });
    }
  }

  /** Copies the template, then starts on a free port (another process may take the port first: retry). */
  async start(template: Template): Promise<void> {
    await run('cp', ['-a', template.dataDir, this.dataDir], this.dir, this.user);
    this.untrack = track(() => this.stopSync());
    await this.startOnFreePort();
    await this.setUp(template.superPassword);
  }

  /** Starts the data directory on a free port (another process may take the port first: retry). */
  protected async startOnFreePort(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      this.port = await freePort();
      const socketDir = this.dir.replaceAll("'", "''");
      appendFileSync(join(this.dataDir, 'postgresql.conf'), `port = ${this.port}\nunix_socket_directories = '${socketDir}'\n`);
      try {
        await this.pgCtlStart();
        break;
      } catch (err) {
        if (attempt >= 3 || !/already in use/i.test(tail(this.logFile, 5))) throw err;
      }
    }
  }

  /** Gives this server its own superuser password (the template's is shared) and creates the database. */
  private async setUp(templatePassword: string): Promise<void> {
    const client = new pg.Client({ host: HOST, port: this.port, user: SUPERUSER, password: templatePassword, database: 'postgres' });
    await client.connect();
    try {
      await client.query(`ALTER ROLE ${client.escapeIdentifier(SUPERUSER)} PASSWORD ${client.escapeLiteral(this.superPassword)}`);
      if (this.database !== 'postgres') await client.query(`CREATE DATABASE ${client.escapeIdentifier(this.database)}`);
    } finally {
      await client.end();
    }
  }

  async restart(): Promise<void> {
    if (this.stopped) throw new Error('restart() after stop()');
    await this.pgCtl(['stop', '-m', 'fast', '-w', '-t', '60']);
    await this.pgCtlStart();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    try {
      if (existsSync(join(this.dataDir, 'postmaster.pid'))) await this.pgCtl(['stop', '-m', 'immediate', '-w', '-t', '30']);
    } catch {
      this.killPostmaster();
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
      this.untrack(); // only now: the process may exit while we wait, and the exit handler must still clean up
    }
  }

  protected killPostmaster(): void {
    const pid = postmasterPid(this.dataDir);
    // Backends exit on their own once the postmaster is gone.
    if (pid !== undefined && isRunning(pid, 'postgres')) process.kill(pid, 'SIGKILL');
  }

  /** For the exit handler: no promises there. */
  stopSync(): void {
    this.stopped = true;
    const r = spawnSync(join(this.bin.dir, 'pg_ctl'), ['stop', '-D', this.dataDir, '-m', 'immediate', '-w', '-t', '20', '-s'],
      { cwd: this.dir, env: childEnv(), stdio: 'ignore', ...asUser(this.user) });
    if (r.status !== 0) this.killPostmaster();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Starts a PostgreSQL server of its own: SCRAM auth, 127.0.0.1 on a free port, fsync off, a fresh copy of a
 * cached initdb template, and a database (`pesquel` by default) owned by the superuser `postgres`.
 *
 *   const pg = await startPostgres();   // pg.superUrl → postgres://postgres:…@127.0.0.1:41234/pesquel
 *   …
 *   await pg.stop();
 */
export async function startPostgres(opts: { database?: string } = {}): Promise<PgServer> {
  const bin = pgBin();
  if (!bin) throw new Error('PostgreSQL server binaries (initdb, pg_ctl, postgres) not found on PATH or in /usr/lib/postgresql/*/bin');
  const user = serverOsUser();
  const base = baseDir(user);
  reapOrphans(base, bin, user);
  const tpl = await template(bin, user, base);
  const dir = mkdtempSync(join(base, RUN_PREFIX));
  writeOwner(dir);
  own(dir, user);
  const server = new LocalPgServer(bin, dir, user, opts.database ?? 'pesquel');
  try {
    await server.start(tpl);
  } catch (err) {
    await server.stop();
    throw err;
  }
  return server;
}

// ---------------------------------------------------------------- streaming replicas

/** A `.pgpass` line: `:` and `\` escaped. */
const pgpassField = (v: string) => v.replace(/[\\:]/g, (c) => `\\${c}`);

async function withSuperClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

class LocalPgReplica extends LocalPgServer implements PgReplica {
  constructor(private readonly primary: LocalPgServer, dir: string, private readonly slot: string) {
    super(primary.bin, dir, primary.user, primary.database, primary.superPassword); // roles are replicated
  }

  /** pg_basebackup -R from the primary (WAL streamed alongside, its own slot), then a hot standby on a free port. */
  async startStreaming(): Promise<void> {
    const passfile = join(this.dir, 'pgpass');
    writePrivate(passfile, `${HOST}:${this.primary.port}:*:${SUPERUSER}:${pgpassField(this.superPassword)}\n`, this.user);
    const conn = `host=${HOST} port=${this.primary.port} user=${SUPERUSER} passfile=${passfile}`;
    this.untrack = track(() => this.stopSync());
    await run(join(this.bin.dir, 'pg_basebackup'), [
      '-D', this.dataDir, '-d', conn, '-X', 'stream', '-R', '-C', '-S', this.slot, '--checkpoint=fast', '--no-sync',
    ], this.dir, this.user);
    // Later lines win: its own port and socket directory instead of the primary's copied ones.
    appendFileSync(join(this.dataDir, 'postgresql.conf'), 'hot_standby = on\n');
    await this.startOnFreePort();
  }

  async halt(): Promise<void> {
    if (this.stopped) throw new Error('halt() after stop()');
    await this.pgCtl(['stop', '-m', 'fast', '-w', '-t', '60']);
  }

  async resume(): Promise<void> {
    if (this.stopped) throw new Error('resume() after stop()');
    await this.pgCtlStart();
  }

  async catchUp(timeoutMs = 30_000): Promise<void> {
    // The template runs synchronous_commit=off, and WAL senders send only flushed WAL: a commit of
    // our own that wrote WAL (a transactional message), with it on, flushes everything written before it.
    const target = await withSuperClient(this.primary.superUrl, async (c) => {
      await c.query('SET synchronous_commit = on');
      await c.query("SELECT pg_logical_emit_message(true, 'pesquel-harness', 'catch up')");
      return (await c.query<{ lsn: string }>('SELECT pg_current_wal_flush_lsn()::text AS lsn')).rows[0]?.lsn;
    });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const done = await withSuperClient(this.superUrl, async (c) =>
        (await c.query<{ done: boolean }>('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done', [target])).rows[0]?.done === true)
        .catch(() => false);
      if (done) return;
      if (Date.now() > deadline) throw new Error(`replica on port ${this.port} did not replay up to ${target} within ${timeoutMs} ms`);
      await delay(25);
    }
  }

  /** Also drops its replication slot on the primary, if that is still running (else the primary keeps its WAL). */
  override async stop(): Promise<void> {
    if (this.stopped) return;
    await super.stop();
    const drop = 'SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1 AND NOT active';
    for (let i = 0; i < 40; i++) {
      const left = await withSuperClient(this.primary.superUrl, async (c) => {
        await c.query(drop, [this.slot]);
        return (await c.query('SELECT 1 FROM pg_replication_slots WHERE slot_name = $1', [this.slot])).rowCount ?? 0;
      }).catch(() => 0); // the primary is gone: nothing to keep clean
      if (left === 0) return;
      await delay(50); // its WAL sender is still exiting
    }
  }
}

/**
 * Starts a hot standby of `primary` (a server from startPostgres): `pg_basebackup -R` over a physical
 * replication slot, on a free port, as the same OS user. Same superuser password and database.
 *
 *   const replica = await startReplica(pg);   // replica.superUrl → …:41235/pesquel, read-only
 *   await replica.catchUp();                  // everything written on pg so far is visible there
 */
export async function startReplica(primary: PgServer): Promise<PgReplica> {
  if (!(primary instanceof LocalPgServer)) throw new Error('startReplica needs a server started by startPostgres');
  const dir = mkdtempSync(join(baseDir(primary.user), RUN_PREFIX));
  writeOwner(dir);
  own(dir, primary.user);
  const replica = new LocalPgReplica(primary, dir, REPLICA_PREFIX + randomBytes(6).toString('hex'));
  try {
    await replica.startStreaming();
  } catch (err) {
    await replica.stop();
    throw err;
  }
  return replica;
}

// ---------------------------------------------------------------- pgBouncer

function userlistField(value: string): string {
  return `"${value.replaceAll('"', '""')}"`;
}

function bouncerIni(pg: PgServer, dir: string, port: number, opts: PgBouncerOptions): string {
  return `[databases]
* = host=${pg.host} port=${pg.port}

[pgbouncer]
listen_addr = ${HOST}
listen_port = ${port}
unix_socket_dir =
auth_type = scram-sha-256
auth_file = ${join(dir, 'userlist.txt')}
pool_mode = ${opts.poolMode ?? 'transaction'}
default_pool_size = ${opts.poolSize ?? 20}
max_client_conn = 1000
ignore_startup_parameters = extra_float_digits
log_connections = 0
log_disconnections = 0
`;
}

function isExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Spawns pgBouncer in the foreground; resolves once it accepts TCP connections, or undefined if it exited. */
async function spawnBouncer(binary: string, dir: string, port: number, user: OsUser | undefined): Promise<ChildProcess | undefined> {
  const log = openSync(join(dir, 'pgbouncer.log'), 'a');
  const child = spawn(binary, [join(dir, 'pgbouncer.ini')], { cwd: dir, env: childEnv(), stdio: ['ignore', log, log], ...asUser(user) });
  closeSync(log);
  child.unref(); // a forgotten stop() must not keep the test process alive; the exit handler kills it
  child.once('error', () => undefined); // surfaces as an exit below
  writeOwner(dir, child.pid);
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.pid === undefined || isExited(child)) return undefined;
    if (await canConnect(port)) return child;
    await delay(25);
  }
  child.kill('SIGKILL');
  throw new Error(`pgBouncer did not listen on port ${port} within 15 s:\n${tail(join(dir, 'pgbouncer.log'))}`);
}

class LocalPgBouncer implements PgBouncerServer {
  private stopped = false;
  private readonly untrack: () => void;

  constructor(readonly port: number, private readonly child: ChildProcess, private readonly dir: string, private readonly database: string) {
    this.untrack = track(() => this.stopSync());
  }

  url(user: string, password: string, database = this.database): string {
    return pgUrl(this.port, user, password, database);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (!isExited(this.child)) {
      const exited = once(this.child, 'exit');
      this.child.kill('SIGTERM'); // pgBouncer 1.18: immediate shutdown
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
    this.untrack(); // only now: the process may exit while we wait, and the exit handler must still clean up
  }

  stopSync(): void {
    this.stopped = true;
    if (this.child.pid !== undefined && !isExited(this.child)) process.kill(this.child.pid, 'SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function probe(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT 1');
  } finally {
    await client.end();
  }
}

/**
 * Starts pgBouncer (Debian's 1.18: no max_prepared_statements, so only unnamed statements are safe in
 * transaction mode) in front of `pg`, on a free loopback port, with SCRAM auth for `users` and the superuser.
 * Every database name is forwarded to `pg`.
 *
 *   const bouncer = await startPgBouncer(pg, { users: [{ name: 'authenticator', password: 'secret' }] });
 *   new pg.Pool({ connectionString: bouncer.url('authenticator', 'secret') });
 */
export async function startPgBouncer(pg: PgServer, opts: PgBouncerOptions): Promise<PgBouncerServer> {
  const binary = pgBouncerBinary();
  if (!binary) throw new Error('pgbouncer not found (apt-get install pgbouncer)');
  const user = serverOsUser();
  const dir = mkdtempSync(join(baseDir(user), BOUNCER_PREFIX));
  writeOwner(dir);
  own(dir, user);
  try {
    const users = [...opts.users.filter((u) => u.name !== pg.superUser), { name: pg.superUser, password: pg.superPassword }];
    writePrivate(join(dir, 'userlist.txt'), users.map((u) => `${userlistField(u.name)} ${userlistField(u.password)}\n`).join(''), user);
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      writePrivate(join(dir, 'pgbouncer.ini'), bouncerIni(pg, dir, port, opts), user);
      const child = await spawnBouncer(binary, dir, port, user);
      if (child) {
        const bouncer = new LocalPgBouncer(port, child, dir, pg.database);
        try {
          await probe(bouncer.url(pg.superUser, pg.superPassword)); // client auth and server login both work
        } catch (err) {
          await bouncer.stop();
          throw err;
        }
        return bouncer;
      }
      const log = tail(join(dir, 'pgbouncer.log'));
      if (attempt >= 3 || !/already in use/i.test(log)) throw new Error(`pgBouncer exited at start:\n${log}`);
    }
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
