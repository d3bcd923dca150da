// Owner-only secret files: created with mode 0600 (where the OS has modes), never replaced by
// `create`, rewritten by `replace` only for derived files, and read back trimmed.
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { CliError } from '../cli-error.js';

const POSIX = process.platform !== 'win32';

/** Creates the secrets directory (0700) if needed. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (POSIX && (statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

/** Writes `content` only if the file does not exist yet. Returns whether it wrote. */
export function createFile(path: string, content: string): boolean {
  try {
    writeFileSync(path, content, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  return true;
}

/** Writes `content` unless the file already holds exactly it. Returns whether it wrote. */
export function replaceFile(path: string, content: string): boolean {
  if (existsSync(path) && readFileSync(path, 'utf8') === content) return false;
  writeFileSync(path, content, { mode: 0o600 });
  if (POSIX) chmodSync(path, 0o600);
  return true;
}

/** Tightens a file that others can read to 0600. Returns whether it had to. */
export function restrictMode(path: string): boolean {
  if (!POSIX || (statSync(path).mode & 0o077) === 0) return false;
  chmodSync(path, 0o600);
  return true;
}

/** A secret's value without the trailing newline an editor may have added. */
export function readSecret(path: string, name: string): string {
  const value = readFileSync(path, 'utf8').replace(/[\r\n]+$/, '');
  if (value.trim() === '') throw new CliError(`secrets/${name} is empty: put a value in it or delete it so setup generates one.`);
  return value;
}

export function readIfExists(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}
