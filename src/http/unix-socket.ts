// server-unix-socket: the API served on a Unix domain socket instead of TCP (PostgREST: the socket takes
// precedence over server-port), created with server-unix-socket-mode and removed at a clean stop.
import { chmodSync, lstatSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import type { Server } from 'node:http';

/** A socket file this start cannot use: the message names the path and what to do. */
export class UnixSocketError extends Error {
  constructor(message: string) {
    super(`server-unix-socket: ${message}`);
    this.name = 'UnixSocketError';
  }
}

/** '660' → 0o660 (validated by the config loader: 600 to 777). */
export const socketMode = (mode: string): number => parseInt(mode, 8);

/** Whether a server answers on the socket at `path` (a stale file left by a killed process does not). */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection(path);
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

/**
 * Makes `path` free for a new socket: nothing there, or a stale socket (removed). A socket another
 * process serves, and any other kind of file, are errors: nothing but a dead socket is ever deleted.
 */
export async function clearStaleSocket(path: string): Promise<void> {
  let stat;
  try {
    stat = lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new UnixSocketError(`cannot inspect ${path}: ${(err as Error).message}`);
  }
  if (!stat.isSocket()) throw new UnixSocketError(`${path} exists and is not a socket; PeSquel will not replace it (remove it or choose another path)`);
  if (await answers(path)) throw new UnixSocketError(`${path} is in use by another server (another PeSquel running?)`);
  rmSync(path, { force: true });
}

/**
 * Listens on the socket with exactly `mode`: the umask keeps it from ever being wider while it is
 * created, chmod then sets the mode itself. Returns how to remove it after the server has closed.
 * Example: listenUnix(server, '/run/pesquel/api.sock', 0o660) → curl --unix-socket /run/pesquel/api.sock http://localhost/todos
 */
export async function listenUnix(server: Server, path: string, mode: number): Promise<{ readonly url: string; remove(): void }> {
  await clearStaleSocket(path);
  await new Promise<void>((resolve, reject) => {
    const failed = (err: Error) => reject(new UnixSocketError(`cannot listen on ${path}: ${err.message}`));
    server.once('error', failed);
    const umask = process.umask(0o777 & ~mode);
    try {
      server.listen(path, () => {
        server.off('error', failed);
        resolve();
      });
    } finally {
      process.umask(umask);
    }
  });
  chmodSync(path, mode);
  const { ino, dev } = lstatSync(path);
  return {
    url: `http+unix://${encodeURIComponent(path)}`,
    // Only our own socket: a file someone put at the path since is left alone.
    remove: () => {
      try {
        const now = lstatSync(path);
        if (now.isSocket() && now.ino === ino && now.dev === dev) rmSync(path, { force: true });
      } catch { /* already gone */ }
    },
  };
}
