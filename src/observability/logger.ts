// The one logger: JSON lines (pino), with PeSquel's typed events turned into log entries here.
import pino, { type Logger } from 'pino';
import type { Config } from '../config/config.js';

export type { Logger };

const levels: Record<Config['logLevel'], string> = { crit: 'fatal', error: 'error', warn: 'warn', info: 'info', debug: 'debug' };

export function createLogger(level: Config['logLevel'], destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level: levels[level],
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: ['*.password', '*.token', '*.authorization', '*.secret', 'password', 'token', 'secret'], censor: '[redacted]' },
    },
    destination as pino.DestinationStream | undefined,
  );
}
