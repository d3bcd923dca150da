// Small helpers for the setup/teardown flags parsed with node:util parseArgs.
import { resolve } from 'node:path';
import { CliError } from '../cli-error.js';

export function portOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new CliError(`--${name} must be a port number (1-65535), not '${value}'.`);
  return n;
}

/** A port given as a flag, or undefined when the flag is absent (the caller picks the fallback). */
export function optionalPort(name: string, value: string | undefined): number | undefined {
  return value === undefined ? undefined : portOption(name, value, 0);
}

export function secondsOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new CliError(`--${name} must be a number of seconds, not '${value}'.`);
  return n;
}

export function stackDirOption(value: string | undefined): string {
  return resolve(value ?? process.cwd());
}

/** parseArgs throws TypeErrors for unknown or malformed flags: turn them into one-line CLI errors. */
export function parseOrExplain<T>(parse: () => T, command: string): T {
  try {
    return parse();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new CliError(`${message.split('\n')[0] ?? message} (see 'pesquel ${command} --help')`, 2);
  }
}
