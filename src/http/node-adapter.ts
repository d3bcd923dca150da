// Adapts a Handler to node:http: reads the body (within the budgets of server-limits.ts), writes
// status, headers, Content-Length and body.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors } from '../errors/codes.js';
import { toHttp } from '../errors/to-http.js';
import type { Handler } from './app.js';
import type { ClientGone } from '../db/types.js';
import { BodyRefused, discardBody, readBody } from './read-body.js';
import { BodyBudget, isRefusedConnection, RETRY_AFTER_SECONDS, type BodyLimits } from './server-limits.js';

export interface AdapterOptions {
  /** Body budgets (server-limits.ts bodyLimits(config)); the defaults' values when absent. */
  readonly bodyLimits?: BodyLimits;
  /** Only the per-request cap, the other budgets at their defaults (ignored with bodyLimits). */
  readonly maxBodyBytes?: number;
  readonly serverHeader?: string;
}

const defaultBodyLimits = (maxBytes = 50 * 1024 * 1024): BodyLimits =>
  ({ maxBytes, idleTimeoutMs: 10_000, minRate: 1024, budget: new BodyBudget(Math.max(maxBytes, 200 * 1024 * 1024)) });

/** Bodies are written in slices of this many UTF-16 units, waiting for the socket between them. */
const SLICE = 64 * 1024;

const byteLength = (body: string | Buffer | readonly string[]) =>
  typeof body === 'string' ? Buffer.byteLength(body, 'utf8')
  : Buffer.isBuffer(body) ? body.length
  : body.reduce((n, piece) => n + Buffer.byteLength(piece, 'utf8'), 0);

const unitsOf = (pieces: readonly string[]) => pieces.reduce((n, piece) => n + piece.length, 0);

/** Resolves when the socket wants more, or is gone. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

/**
 * Writes large text piece by piece with backpressure: Node would otherwise encode everything not
 * yet sent into one more buffer (a copy of the body per slow client). Slices never split a
 * surrogate pair.
 */
async function writePieces(res: ServerResponse, pieces: readonly string[]): Promise<void> {
  for (const piece of pieces) {
    for (let at = 0; at < piece.length && !res.destroyed;) {
      let end = Math.min(piece.length, at + SLICE);
      const last = piece.charCodeAt(end - 1);
      if (end < piece.length && last >= 0xd800 && last <= 0xdbff) end--;
      if (!res.write(piece.slice(at, end))) await drained(res);
      at = end;
    }
  }
  res.end();
}

/**
 * Whether the client went away before its response was complete (the response closed unfinished):
 * the database backend then cancels the statement, or never runs it, instead of holding a
 * connection for nobody.
 */
class ResponseWatch implements ClientGone {
  constructor(private readonly res: ServerResponse) {}

  get gone(): boolean {
    return this.res.destroyed && !this.res.writableFinished;
  }

  whenGone(fn: () => void): () => void {
    const res = this.res;
    const onClose = () => { if (!res.writableFinished) fn(); };
    res.once('close', onClose);
    return () => { res.off('close', onClose); };
  }
}

/**
 * The last resort behind the handler's own boundary: whatever still escapes (a socket error while
 * writing, a bug) ends this one response, never the process through an unhandled rejection.
 */
function lastResort(res: ServerResponse): void {
  try {
    if (res.headersSent || res.destroyed) throw new Error('response already started');
    const h = toHttp(errors.internal(null), false);
    res.writeHead(h.status, { ...h.headers, Connection: 'close' }).end(h.body);
  } catch {
    res.destroy();
  }
}

export function nodeHandler(handler: Handler, opts: AdapterOptions = {}) {
  const serve = adapter(handler, opts);
  return (req: IncomingMessage, res: ServerResponse): Promise<void> => serve(req, res).catch(() => lastResort(res));
}

function adapter(handler: Handler, opts: AdapterOptions) {
  const limits = opts.bodyLimits ?? defaultBodyLimits(opts.maxBodyBytes);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let status: number;
    let headers: Record<string, string>;
    let body: string | Buffer | readonly string[] | null;
    let held = 0;
    try {
      if (isRefusedConnection(req.socket)) throw new BodyRefused(errors.serverBusy('Too many open connections (server-max-connections).', RETRY_AFTER_SECONDS), false);
      const read = await readBody(req, limits);
      held = read.held;
      const r = await handler({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: read.bytes, remoteAddress: req.socket.remoteAddress }, new ResponseWatch(res));
      ({ status, headers, body } = r);
    } catch (err) {
      const refused = err instanceof BodyRefused;
      ({ status, headers, body } = toHttp(refused ? err.error : err, false));
      if (refused && err.drain) discardBody(req, limits.idleTimeoutMs);
      else if (refused) headers.Connection = 'close'; // a stalled body or a connection past the cap
    } finally {
      limits.budget.give(held);
    }
    if (opts.serverHeader) headers.Server = opts.serverHeader;
    // Strings go to the socket as they are (encoding one into a Buffer first would hold a second
    // copy of a large response for the whole write); large ones and lists go in slices.
    if (body !== null || status !== 204) headers['Content-Length'] = String(body === null ? 0 : byteLength(body));
    // HEAD answers carry no Content-Length, as PostgREST's (the body it would have is not built).
    if (status === 204 || status === 304 || req.method === 'HEAD') delete headers['Content-Length'];
    try {
      res.writeHead(status, headers);
    } catch (err) {
      // A header node:http refuses (a name or value made from data, e.g. a schema named "été€" in
      // Content-Profile) throws here, after the boundary above: answer 500, never reject.
      const h = toHttp(errors.internal(err instanceof Error ? err.message : null), false);
      res.writeHead(h.status, { ...h.headers, Connection: 'close' }).end(h.body);
      return;
    }
    if (req.method === 'HEAD' || body === null) res.end();
    else if (Buffer.isBuffer(body) || (typeof body === 'string' && body.length <= SLICE)) res.end(body);
    else if (typeof body !== 'string' && unitsOf(body) <= SLICE) res.end(body.join('')); // a small chunked page: one write
    else await writePieces(res, typeof body === 'string' ? [body] : body);
  };
}
