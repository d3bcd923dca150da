// Adapts a Handler to node:http: reads the body (with a size limit), writes status, headers,
// Content-Length and body.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors } from '../errors/codes.js';
import { toHttp } from '../errors/to-http.js';
import type { Handler } from './app.js';

export interface AdapterOptions {
  readonly maxBodyBytes?: number;
  readonly serverHeader?: string;
}

class BodyTooLarge extends Error {}

/**
 * The request body (null for methods without one). Plain stream events, not an async iterator: this
 * runs on every write request. Past the limit reading stops and the request is answered with
 * 413 PGRST102; the connection then closes (the rest of the body is never read).
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') {
    req.resume();
    return Promise.resolve(null);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      req.pause();
      reject(new BodyTooLarge());
    };
    req.on('data', onData);
    req.once('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

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

export function nodeHandler(handler: Handler, opts: AdapterOptions = {}) {
  const limit = opts.maxBodyBytes ?? 100 * 1024 * 1024;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let status: number;
    let headers: Record<string, string>;
    let body: string | Buffer | readonly string[] | null;
    try {
      const raw = await readBody(req, limit);
      const r = await handler({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: raw, remoteAddress: req.socket.remoteAddress });
      ({ status, headers, body } = r);
    } catch (err) {
      const tooLarge = err instanceof BodyTooLarge;
      ({ status, headers, body } = toHttp(tooLarge ? errors.bodyTooLarge(limit) : err, false));
      if (tooLarge) headers.Connection = 'close';
    }
    if (opts.serverHeader) headers.Server = opts.serverHeader;
    // Strings go to the socket as they are (encoding one into a Buffer first would hold a second
    // copy of a large response for the whole write); large ones and lists go in slices.
    if (body !== null || status !== 204) headers['Content-Length'] = String(body === null ? 0 : byteLength(body));
    if (status === 204 || status === 304) delete headers['Content-Length'];
    res.writeHead(status, headers);
    if (req.method === 'HEAD' || body === null) res.end();
    else if (Buffer.isBuffer(body) || (typeof body === 'string' && body.length <= SLICE)) res.end(body);
    else if (typeof body !== 'string' && unitsOf(body) <= SLICE) res.end(body.join('')); // a small chunked page: one write
    else await writePieces(res, typeof body === 'string' ? [body] : body);
  };
}
