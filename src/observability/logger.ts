// The one logger: JSON lines (pino) with secrets redacted; a readable format when stdout is a
// terminal. observer.ts decides what each typed event logs.
import pino, { type Logger } from 'pino';
import type { Config } from '../config/config.js';
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

export function createLogger(level: Config['logLevel'], destination?: NodeJS.WritableStream, format: LogFormat = 'auto'): Logger {
  const pretty = format === 'pretty' || (format === 'auto' && destination === undefined && process.stdout.isTTY === true);
  const dest = pretty ? prettyStream(destination ?? process.stdout) : destination;
  return pino(
    {
      level: levels[level],
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactPaths, censor: '[redacted]' },
    },
    dest as pino.DestinationStream | undefined,
  );
}
