// The admin API's small HTTP toolkit: a route table matched by method and path, JSON bodies with
// a size limit, and one place that turns thrown errors into responses.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AdminError, pgErrorBody } from './errors.js';
import type { Session } from './auth/sessions.js';
import type { AdminRole } from './auth/roles.js';

export interface Ctx {
  readonly req: IncomingMessage;
  readonly url: URL;
  readonly session: Session | null;
  json<T = Record<string, unknown>>(): Promise<T>;
}

export type Reply =
  | { readonly status?: number; readonly json: unknown; readonly headers?: Record<string, string> }
  | { readonly status?: number; readonly body: string | Buffer; readonly headers: Record<string, string> };

export type Handler = (ctx: Ctx) => Promise<Reply>;

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  /** Public routes work without a session (sign-in, session probe). */
  readonly public?: boolean;
  /** The least admin role allowed (default: viewer for GET, editor otherwise; see auth/roles.ts). */
  readonly role?: AdminRole;
  readonly handler: Handler;
}

const maxBody = 50 * 1024 * 1024; // CSV imports are the largest bodies
/** Routes that work without a session (the sign-in) read at most this much from anyone. */
export const publicMaxBody = 16 * 1024;

export function readBody(req: IncomingMessage, limit = maxBody): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        // Stop reading; the answer goes out with Connection: close (server.ts), so the rest is never read.
        req.pause();
        req.removeAllListeners('data');
        reject(new AdminError(413, 'too-large', 'the request body is too large'));
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function parseJson<T>(req: IncomingMessage, limit = maxBody): Promise<T> {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
    throw new AdminError(415, 'json-required', 'send the request body as application/json');
  }
  let value: unknown;
  try {
    value = JSON.parse(await readBody(req, limit));
  } catch (err) {
    if (err instanceof AdminError) throw err;
    throw new AdminError(400, 'bad-json', 'the request body is not valid JSON');
  }
  // Every route reads fields of an object: `null`, `[]` or `5` would fail later as a 500.
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new AdminError(400, 'bad-json', 'the request body must be a JSON object');
  return value as T;
}

const baseHeaders = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

export function send(res: ServerResponse, reply: Reply): void {
  const status = reply.status ?? 200;
  if ('json' in reply) {
    res.writeHead(status, { ...baseHeaders, 'Content-Type': 'application/json; charset=utf-8', ...reply.headers });
    res.end(JSON.stringify(reply.json));
  } else {
    res.writeHead(status, { ...baseHeaders, ...reply.headers });
    res.end(reply.body);
  }
}

/** The one error mapper: admin errors and PostgreSQL errors are shown; anything else is logged. */
export function errorReply(err: unknown, onUnexpected: (err: unknown) => void): Reply {
  if (err instanceof AdminError) return { status: err.status, json: { error: { code: err.code, message: err.message } } };
  const pgErr = pgErrorBody(err);
  if (pgErr) return { status: 400, json: { error: pgErr } };
  onUnexpected(err);
  return { status: 500, json: { error: { code: 'internal', message: 'internal error: see the server log' } } };
}

/** Reads a string field, throwing a 400 when it is missing. */
export function field(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  if (typeof v !== 'string' || v === '') throw new AdminError(400, 'missing-field', `"${name}" is required`);
  return v;
}

export function intParam(url: URL, name: string, fallback: number, max: number): number {
  const v = Number(url.searchParams.get(name) ?? fallback);
  return Number.isInteger(v) && v >= 0 ? Math.min(v, max) : fallback;
}
