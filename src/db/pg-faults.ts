// How PeSquel's node-postgres connections survive their server: an 'error' listener on every client
// for its whole life (pg-pool drops its own while a client is checked out, and an unhandled 'error'
// event ends the process), which errors mean the connection is gone, and PostgreSQL's cancel request.
import pg from 'pg';
import { ApiError } from '../errors/api-error.js';

const guarded = new WeakSet<pg.ClientBase>();

/**
 * Gives a client an 'error' listener that stays while it is checked out and after it is released
 * (call it from the pool's 'connect' event, or right after `new pg.Client`). Idempotent.
 */
export function guardClient(client: pg.ClientBase, onError: (err: Error) => void): void {
  if (guarded.has(client)) return;
  guarded.add(client);
  client.on('error', onError);
}

/** An error PostgreSQL reported (it carries a severity), as opposed to the driver's or PeSquel's. */
export const isServerError = (err: unknown): boolean =>
  err instanceof Error && typeof (err as { severity?: unknown }).severity === 'string';

/**
 * True when an error means the connection is gone: a FATAL or PANIC from the server
 * (pg_terminate_backend, shutdown, idle_in_transaction_session_timeout), SQLSTATE classes 08
 * (connection exception) and 57P (shutdown, crash, cannot connect now), a socket error (ECONNRESET,
 * EPIPE, …) and the driver's own "Connection terminated unexpectedly" / "not queryable". Not an
 * error of PeSquel's own code (a refused identifier, a value a parser rejected): the request keeps
 * its own answer for those.
 */
export function connectionLost(err: unknown): boolean {
  if (!(err instanceof Error) || err instanceof ApiError) return false;
  const { severity, code } = err as { severity?: unknown; code?: unknown };
  if (typeof severity === 'string') {
    return severity === 'FATAL' || severity === 'PANIC' || (typeof code === 'string' && /^(08|57P)/.test(code));
  }
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return true;
  return /connection terminated|not queryable|client was closed|connection (?:error|timeout)/i.test(err.message);
}

/** pg's own flags on a client: set once its socket failed or its session ended. */
export function clientUnusable(client: pg.ClientBase): boolean {
  const f = client as unknown as { _queryable?: boolean; _ending?: boolean; _ended?: boolean };
  return f._queryable === false || f._ending === true || f._ended === true;
}

/** What a cancel request needs from the client it cancels (pg sets these at connect). */
interface CancelTarget {
  readonly host?: string;
  readonly port?: number;
  readonly processID?: number | null;
  readonly secretKey?: number | null;
}

/** pg's wire connection, with the two methods its type declarations leave out. */
interface CancelConnection {
  readonly stream: { destroy(): void };
  on(event: 'error' | 'end' | 'connect', fn: () => void): void;
  connect(portOrPath: number | string, host?: string): void;
  cancel(processID: number, secretKey: number): void;
}

/**
 * Sends PostgreSQL's CancelRequest for the statement `client` is running, on a connection of its
 * own, as libpq's PQcancel does: the server (or pgBouncer, which forwards it) closes that connection
 * once the backend has been signalled, and then this resolves. Never rejects; gives up after
 * `timeoutMs`. Like every cancel, it may arrive after the statement ended: the backend then ignores it.
 */
export function cancelBackend(client: pg.ClientBase, timeoutMs = 5000): Promise<boolean> {
  const t = client as unknown as CancelTarget;
  const pid = t.processID;
  const key = t.secretKey;
  const port = t.port;
  if (typeof pid !== 'number' || typeof key !== 'number' || port === undefined) return Promise.resolve(false);
  return new Promise((resolve) => {
    const con = new pg.Connection() as unknown as CancelConnection;
    let settled = false;
    const done = (sent: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      con.stream.destroy();
      resolve(sent);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    timer.unref();
    let sent = false;
    con.on('error', () => done(false));
    con.on('end', () => done(sent));
    con.on('connect', () => {
      con.cancel(pid, key);
      sent = true;
    });
    const host = t.host ?? 'localhost';
    if (host.startsWith('/')) con.connect(`${host}/.s.PGSQL.${port}`);
    else con.connect(port, host);
  });
}

/**
 * A prepared statement the connection's cache trusted is gone (26000: a pooler moved the session,
 * or something ran DEALLOCATE) or stale (0A000 "cached plan must not change result type": a table's
 * columns changed under it). The failed transaction changed nothing, so the request can run again.
 */
export function preparedStatementLost(err: unknown): boolean {
  if (!isServerError(err)) return false;
  const { code, message } = err as { code?: unknown; message: string };
  return code === '26000' || (code === '0A000' && /cached plan must not change result type/.test(message));
}
