// What `pesquel ci init` asks of a generated pipeline: the provider, where the migrations are, which
// Node.js runs the jobs. Validated once here, since each value ends up inside shell commands.
import { CliError } from '../cli-error.js';

export type Provider = 'github' | 'gitlab';
export const PROVIDERS: readonly Provider[] = ['github', 'gitlab'];

export interface CiSettings {
  readonly provider: Provider;
  /** Relative to the project root, forward slashes: `migrations`, `db/migrations`. */
  readonly migrationsDir: string;
  /** Major version of Node.js for the jobs (the `node:<major>-bookworm` image on GitLab). */
  readonly nodeVersion: string;
}

export const DEFAULT_MIGRATIONS_DIR = 'migrations';
export const DEFAULT_NODE_VERSION = '22';
/** PostgreSQL of the test jobs: the major version the compose stack runs. */
export const POSTGRES_IMAGE = 'postgres:17';

/** Accepts only what needs no quoting in a shell word and stays inside the project. */
export function parseMigrationsDir(raw: string): string {
  const dir = raw.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
  if (!/^[A-Za-z0-9._][A-Za-z0-9._/-]*$/.test(dir) || dir.split('/').some((part) => part === '..' || part === '')) {
    throw new CliError(`--migrations must be a folder inside the project (letters, digits, . _ - /), got '${raw}'`, 2);
  }
  return dir;
}

export function parseNodeVersion(raw: string): string {
  if (!/^[1-9][0-9]$/.test(raw)) throw new CliError(`--node must be a Node.js major version such as 22, got '${raw}'`, 2);
  if (Number(raw) < 20) throw new CliError(`--node ${raw}: PeSquel needs Node.js 20 or newer`, 2);
  return raw;
}

export function parseProvider(raw: string | undefined): Provider {
  if (raw === undefined) throw new CliError(`usage: pesquel ci init ${PROVIDERS.join('|')}`, 2);
  const p = PROVIDERS.find((x) => x === raw.toLowerCase());
  if (!p) throw new CliError(`unknown CI provider '${raw}' (one of: ${PROVIDERS.join(', ')})`, 2);
  return p;
}
