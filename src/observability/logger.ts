// The one logger: JSON lines (pino) with secrets redacted; a readable format when stdout is a
// terminal. observer.ts decides what each typed event logs. To stdout, lines are buffered and
// written asynchronously (line-sink.ts); the request line, written for every request at the
// default level, is built directly (requestLogger) instead of going through pino's serializer
// and redaction, which cost several times more than the line itself.
import pino, { type Logger } from 'pino';
import type { Config } from '../config/config.js';
import { stdoutLines } from './line-sink.js';
import { prettyStream } from './pretty.js';

export type { Logger };

export type LogFormat = 'auto' | 'json' | 'pretty';

const levels: Record<Config['logLevel'], string> = { crit: 'fatal', error: 'error', warn: 'warn', info: 'info', debug: 'debug' };

// Belt and braces: events never carry credentials, but an error object or a config dump might.
const redactPaths = [
  'password', 'token', 'secret', 'authorization', 'jwt', 'apikey', 'dbUri', 'connectionString',
  '*.password', '*.token', '*.authorization', '*.secret', '*.jwt', '*.apikey', '*.dbUri', '*.connectionString',
  '*.headers.authorization', '*.headers.cookie', 'headers.authorization', 'headers.cookie',
];

/**
 * `destination` (tests): a stream that gets every line as written. Without one, stdout: pretty
 * when it is a terminal (or `format` says so), else JSON lines through the process's buffered sink.
 */
export function createLogger(level: Config['logLevel'], destination?: NodeJS.WritableStream, format: LogFormat = 'auto'): Logger {
  const pretty = format === 'pretty' || (format === 'auto' && destination === undefined && process.stdout.isTTY === true);
  const dest = pretty ? prettyStream(destination ?? process.stdout) : destination ?? stdoutLines();
  return pino(
    {
      level: levels[level],
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactPaths, censor: '[redacted]' },
    },
    dest as pino.DestinationStream,
  );
}

/**
 * Writes a request line: exactly these fields, never headers, bodies or query strings (positional,
 * so that no object is built per request for it). `query` (log-query = main-query) is the main SQL
 * statement with `$n` placeholders: values travel as bind parameters and never reach the line.
 */
export type RequestLogger = (method: string, path: string, status: number, ms: number, role: string | null, code: string | null, query?: string) => void;

// Strings JSON must escape (quotes, backslashes, control characters, lone surrogates): rare in
// these fields, so the common case is pasted between quotes.
function plainJson(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return false;
  }
  return true;
}
const jsonString = (s: string) => (plainJson(s) ? `"${s}"` : JSON.stringify(s));

// One ISO timestamp per millisecond: several requests end in the same one under load.
let stampMs = 0;
let stamp = '';
function isoNow(): string {
  const now = Date.now();
  if (now !== stampMs) {
    stampMs = now;
    stamp = new Date(now).toISOString();
  }
  return stamp;
}

/**
 * A writer of request lines at level info into the logger's own destination, in pino's format:
 *   {"level":30,"time":"2026-01-01T10:11:12.000Z","method":"GET","path":"/todos","status":200,"ms":1.3,"role":"api_anon","msg":"request"}
 * Nothing here can carry a credential, so the line skips pino's serializer and redaction.
 */
export function requestLogger(log: Logger): RequestLogger {
  const stream = (log as unknown as Record<symbol, { write(s: string): unknown } | undefined>)[pino.symbols.streamSym];
  if (stream === undefined) {
    return (method, path, status, ms, role, code, query) => log.info({ method, path, status, ms, role, code: code ?? undefined, query }, 'request');
  }
  return (method, path, status, ms, role, code, query) => {
    if (!log.isLevelEnabled('info')) return;
    stream.write(`{"level":30,"time":"${isoNow()}","method":${jsonString(method)},"path":${jsonString(path)},"status":${status},"ms":${ms},"role":${
      role === null ? 'null' : jsonString(role)}${code === null ? '' : `,"code":${jsonString(code)}`}${query === undefined ? '' : `,"query":${jsonString(query)}`},"msg":"request"}\n`);
  };
}
