// The embedded database's data directory: checked before PGlite touches it (a path that cannot be a
// directory, a read-only one, an unrelated folder with files in it, another PostgreSQL's data) and
// locked for one process at a time by <data-dir>/pesquel.lock, which holds the owner's pid. The lock
// lives inside the directory so that it works where only the directory is writable (a volume).
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** A data directory that cannot be used, with what is wrong and where. */
export class DataDirError extends Error {
  constructor(message: string, readonly pid: number | null = null) {
    super(message);
    this.name = 'DataDirError';
  }
}

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

/** PGlite 0.4 embeds PostgreSQL 17: a data directory of another major version cannot be opened. */
const PG_MAJOR = '17';
const LOCK = 'pesquel.lock';
// Files a fresh directory may hold without being "someone else's folder": a mount point's
// lost+found, hidden files (.DS_Store, .gitkeep, our lock's temporary names), our lock and our psql
// password file.
const harmless = (name: string) => name.startsWith('.') || name === 'lost+found' || name === LOCK || name === 'pesquel-psql-password';

function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'EACCES' || e.code === 'EPERM') return 'permission denied';
  if (e.code === 'EROFS') return 'read-only file system';
  if (e.code === 'ENOTDIR') return 'a part of the path is a file, not a directory';
  if (e.code === 'ENOSPC') return 'no space left on the device';
  return e.message;
}

/** Creates the directory when missing and refuses one that PGlite would fail on or fill by mistake. */
export function checkDataDir(dataDir: string): string {
  const dir = resolve(dataDir);
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new DataDirError(`data directory ${dir} is a file, not a directory (set --data-dir)`);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new DataDirError(`cannot create the data directory ${dir}: ${reason(err)} (set --data-dir)`);
  }
  const versionFile = join(dir, 'PG_VERSION');
  if (existsSync(versionFile)) {
    const major = readFileSync(versionFile, 'utf8').trim();
    if (major !== PG_MAJOR) throw new DataDirError(`${dir} holds a PostgreSQL ${major} data directory; the embedded database is PostgreSQL ${PG_MAJOR}. Use another --data-dir, or serve it with PostgreSQL ${major} and --db-url`);
  } else {
    const unrelated = readdirSync(dir).filter((n) => !harmless(n));
    if (unrelated.length > 0) {
      const shown = unrelated.slice(0, 3).join(', ') + (unrelated.length > 3 ? ', …' : '');
      throw new DataDirError(`data directory ${dir} is not empty (${shown}) and holds no database: choose an empty or new --data-dir`);
    }
  }
  // Root ignores permissions, so try a write rather than ask access().
  const probe = join(dir, `.pesquel-write-check-${process.pid}`);
  try {
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (err) {
    throw new DataDirError(`cannot write to the data directory ${dir}: ${reason(err)}`);
  }
  return dir;
}

/** `.pesquel/data` → `.pesquel/data/pesquel.lock` (through symbolic links: one lock per directory). */
export const lockFilePath = (dataDir: string) => join(existsSync(dataDir) ? realpathSync(dataDir) : resolve(dataDir), LOCK);

/** Locks held by this process: a lock file naming our pid that is not among them is stale (a reused pid). */
const held = new Set<string>();

function unlock(path: string): void {
  if (!held.delete(path)) return;
  if (readPid(path) === process.pid) rmSync(path, { force: true });
}

// One hook for every lock: an exit that skips close() (an uncaught error, process.exit) still frees them.
let exitHook = false;
function releaseAtExit(): void {
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => { for (const path of [...held]) unlock(path); });
}

function alive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const readPid = (path: string): number | null => {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
};

function ownerOf(path: string): number | null {
  const pid = readPid(path);
  if (pid === null) return null;
  return held.has(path) && pid === process.pid ? pid : alive(pid) ? pid : null;
}

/**
 * Removes a stale lock without removing a live one that replaced it meanwhile: the lock is renamed
 * aside (atomic: one remover wins), and put back if it turns out to name a live process.
 */
function breakStale(path: string): void {
  const aside = join(dirname(path), `.${LOCK}.stale-${process.pid}`);
  try {
    renameSync(path, aside);
  } catch {
    return; // Someone else moved it first.
  }
  const pid = readPid(aside);
  if (pid !== null && ownerOf(aside) !== null) {
    try {
      linkSync(aside, path);
    } catch {
      // A third process took the lock in between: it holds it now.
    }
  }
  rmSync(aside, { force: true });
}

/**
 * Takes the data directory for this process, atomically: the pid is written to a private file that
 * is then hard-linked to the lock's name, which fails when the lock exists. A lock whose process is
 * gone is replaced.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const dir = checkDataDir(dataDir);
  const path = lockFilePath(dir);
  const mine = join(dirname(path), `.${LOCK}.${process.pid}.tmp`);
  writeFileSync(mine, `${process.pid}\n`, { mode: 0o644 });
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        linkSync(mine, path);
        held.add(path);
        releaseAtExit();
        return { path, release: () => unlock(path) };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new DataDirError(`cannot create the lock file ${path}: ${reason(err)}`);
      }
      const owner = ownerOf(path);
      if (owner !== null) {
        const who = owner === process.pid ? 'this process' : `PeSquel (pid ${owner})`;
        throw new DataDirError(`the data directory ${dir} is in use by ${who}; stop it first, or let pesquel migrate/backup use the running server (lock: ${path})`, owner);
      }
      breakStale(path);
    }
    throw new DataDirError(`cannot take the lock ${path}: it keeps changing`);
  } finally {
    try {
      unlinkSync(mine);
    } catch {
      // Already gone.
    }
  }
}
