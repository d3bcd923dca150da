// Reads a request body within its budgets (server-limits.ts): the per-request cap, checked against
// Content-Length before a byte is read; the bytes all requests may hold at once; and a timeout for
// bodies that stall or trickle. A declared body is read into one buffer of its size (no chunk list
// and concatenated copy side by side).
import type { IncomingMessage } from 'node:http';
import type { ApiError } from '../errors/api-error.js';
import { errors } from '../errors/codes.js';
import { RETRY_AFTER_SECONDS, type BodyLimits } from './server-limits.js';

/**
 * A body refused before the handler saw it, answered with `error`. `drain`: the client is probably
 * still sending, so the rest is read and dropped (for a bounded time) instead of closing at once —
 * closing with unread data resets the connection, and the client would lose the answer.
 */
export class BodyRefused extends Error {
  constructor(readonly error: ApiError, readonly drain: boolean) {
    super(error.message);
  }
}

export interface ReadBody {
  /** null for methods without a body. */
  readonly bytes: Buffer | null;
  /** Bytes taken from the shared budget; the caller gives them back when the request is done. */
  readonly held: number;
}

const NO_BODY: ReadBody = { bytes: null, held: 0 };

const busy = () => new BodyRefused(errors.serverBusy('Too many request body bytes in flight (server-max-body-total-bytes).', RETRY_AFTER_SECONDS), true);
const tooLarge = (limits: BodyLimits) => new BodyRefused(errors.bodyTooLarge(limits.maxBytes), true);

/**
 * The request body. Plain stream events, not an async iterator: this runs on every write request.
 * Rejects with BodyRefused past a limit (413, 503, 408) and with the stream's error when the client
 * goes away; either way nothing stays taken from the budget.
 */
export function readBody(req: IncomingMessage, limits: BodyLimits): Promise<ReadBody> {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') {
    // Such a body is dropped; one that trickles must not hold the connection either.
    if (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined) discardBody(req, limits.idleTimeoutMs);
    else req.resume();
    return Promise.resolve(NO_BODY);
  }
  const header = req.headers['content-length'];
  const declared = header === undefined ? null : Number(header); // Node has checked it is digits
  if (declared !== null && declared > limits.maxBytes) return Promise.reject(tooLarge(limits));
  const { budget } = limits;
  if (declared !== null && !budget.take(declared)) return Promise.reject(busy());
  let held = declared ?? 0;
  return new Promise((resolve, reject) => {
    const whole = declared === null ? null : Buffer.allocUnsafe(declared);
    const chunks: Buffer[] = [];
    let size = 0;
    const start = Date.now();
    let last = start;
    let ended = false;
    const finish = (err: Error | null) => {
      ended = true;
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', finish).off('close', onClose);
      if (err === null) {
        resolve({ bytes: whole ?? (chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)), held });
        return;
      }
      budget.give(held);
      held = 0;
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      last = Date.now();
      if (whole !== null) {
        chunk.copy(whole, size); // Node's parser never passes more than Content-Length
        size += chunk.length;
        return;
      }
      size += chunk.length;
      if (size > limits.maxBytes) return finish(tooLarge(limits));
      if (!budget.take(chunk.length)) return finish(busy());
      held += chunk.length;
      chunks.push(chunk);
    };
    const onEnd = () => finish(null);
    const onClose = () => {
      if (!ended) finish(new Error('the client closed the connection before its body was complete'));
    };
    // Due when the body has stalled for the idle timeout, or when it has averaged less than
    // min-rate since the grace period; re-armed while neither is true yet.
    const due = () => Math.min(last + limits.idleTimeoutMs, start + limits.idleTimeoutMs + (size / limits.minRate) * 1000);
    const check = () => {
      const wait = due() - Date.now();
      if (wait > 0) {
        timer = setTimeout(check, wait);
        return;
      }
      const stalled = Date.now() - last >= limits.idleTimeoutMs;
      finish(new BodyRefused(errors.bodyTimeout(stalled
        ? `No body bytes for ${limits.idleTimeoutMs / 1000} s (server-body-idle-timeout).`
        : `The body arrived slower than ${limits.minRate} bytes per second (server-body-min-rate).`), false));
    };
    let timer = setTimeout(check, limits.idleTimeoutMs);
    req.on('data', onData).once('end', onEnd).once('error', finish).once('close', onClose);
  });
}

/**
 * Reads and drops the rest of a refused body so that the client receives the answer; a body that
 * has not ended within `ms` has its connection closed.
 */
export function discardBody(req: IncomingMessage, ms: number): void {
  req.resume();
  if (req.complete) return;
  const timer = setTimeout(() => req.socket.destroy(), ms);
  const done = () => clearTimeout(timer);
  req.once('end', done).once('close', done);
}
