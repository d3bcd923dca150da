// The API server's own budgets (STYLE habit 18): request bodies per request and in total, slow
// bodies, open connections, header size, and the answers Node would otherwise give bare (431, 408,
// 400) in PostgREST's error shape. main.ts applies them to the server; node-adapter.ts reads bodies
// within them.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Config } from '../config/config.js';
import type { ApiError } from '../errors/api-error.js';
import { errors } from '../errors/codes.js';
import { toHttp } from '../errors/to-http.js';

/** Bytes of request bodies held at once, shared by every request of one server. */
export class BodyBudget {
  private held = 0;
  constructor(readonly total: number) {}

  /** Takes `n` bytes of the budget; false (and nothing taken) when they are not left. */
  take(n: number): boolean {
    if (this.held + n > this.total) return false;
    this.held += n;
    return true;
  }

  give(n: number): void {
    this.held -= n;
  }

  get inUse(): number {
    return this.held;
  }
}

export interface BodyLimits {
  /** Largest body of one request (413 PGRST102 past it). */
  readonly maxBytes: number;
  /** Longest stall of a body, and the grace before `minRate` applies (408 PGRST102). */
  readonly idleTimeoutMs: number;
  /** Bytes per second a body must average after the grace period. */
  readonly minRate: number;
  /** Body bytes all requests may hold at once (503 PGRST191 past it). */
  readonly budget: BodyBudget;
}

/** Seconds a client is asked to wait when a budget is exhausted. */
export const RETRY_AFTER_SECONDS = 2;

/** The body limits of one server, from the configuration. */
export function bodyLimits(config: Config): BodyLimits {
  return {
    maxBytes: config.serverMaxBodyBytes,
    idleTimeoutMs: config.serverBodyIdleTimeout * 1000,
    minRate: config.serverBodyMinRate,
    budget: new BodyBudget(config.serverMaxBodyTotalBytes),
  };
}

/** Connections accepted past server-max-connections: their requests get 503 and the connection closes. */
const refused = new WeakSet<Socket>();

export const isRefusedConnection = (socket: Socket): boolean => refused.has(socket);

/** Headers timeout: a request line and headers that take longer are answered 408 (Node checks every 30 s). */
const HEADERS_TIMEOUT_MS = 20_000;

/**
 * Applies the configured caps to the API server: header size, headers timeout, the connection cap
 * and PostgREST-shaped answers for requests Node refuses before they reach the handler.
 */
export function applyServerLimits(server: Server, config: Config): void {
  // Read by Node for each new connection (the constructor option sets the same property).
  (server as Server & { maxHeaderSize: number }).maxHeaderSize = config.serverMaxHeaderBytes;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  const cap = config.serverMaxConnections;
  let open = 0;
  server.on('connection', (socket: Socket) => {
    open++;
    socket.once('close', () => open--);
    if (cap > 0 && open > cap) {
      // Accepted, so that its request can be told why (a bare close looks like a crash); a client
      // that sends nothing is dropped after the idle timeout.
      refused.add(socket);
      socket.setTimeout(config.serverBodyIdleTimeout * 1000, () => socket.destroy());
    }
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => answerClientError(err, socket, config.serverMaxHeaderBytes));
}

/** What Node's default 'clientError' answer would be, as a PostgREST error (null: just close). */
function clientErrorOf(err: NodeJS.ErrnoException, maxHeaderBytes: number): ApiError | null {
  switch (err.code) {
    case 'ECONNRESET':
    case 'EPIPE':
      return null;
    case 'HPE_HEADER_OVERFLOW':
      return errors.headersTooLarge(maxHeaderBytes);
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return errors.requestTimeout();
    default:
      return errors.malformedHttp();
  }
}

function answerClientError(err: NodeJS.ErrnoException, socket: Socket, maxHeaderBytes: number): void {
  const error = clientErrorOf(err, maxHeaderBytes);
  // As Node's own handler: never write into a response that has begun.
  const pending = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (error === null || !socket.writable || pending?.headersSent) {
    socket.destroy();
    return;
  }
  socket.end(rawResponse(error));
}

/** A complete HTTP/1.1 response for an error, closing the connection. */
export function rawResponse(error: ApiError): string {
  const h = toHttp(error, false);
  const body = h.body;
  const lines = [`HTTP/1.1 ${h.status} ${reasons[h.status] ?? 'Error'}`];
  for (const [k, v] of Object.entries(h.headers)) lines.push(`${k}: ${v}`);
  lines.push(`Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close');
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

const reasons: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};
