// secrets/setup.json: the choices that shape the stack (domain, TLS, API route, add-ons, ports) as the
// last setup made them, so that a later plain `pesquel setup` keeps them. No secret in it.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from '../cli-error.js';
import type { ApiDbRoute } from './compose.js';
import { parseDomain } from './domain.js';
import { readIfExists } from './files.js';
import { tlsSettings } from './tls.js';
import type { TlsSettings } from './tls.js';

export const SETUP_RECORD_FILE = 'setup.json';
export const SETUP_RECORD_VERSION = 1;

export type SetupChoices = {
  readonly domain: string;
  readonly tls: TlsSettings;
  readonly apiDb: ApiDbRoute;
  readonly pgadmin: boolean;
  readonly monitoring: boolean;
  readonly backups: boolean;
  readonly httpPort: number;
  /** Kept while HTTPS is off too, for when it is turned on again. */
  readonly httpsPort: number;
  readonly postgresPort: number;
};

type Raw = Record<string, unknown>;
const isPort = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The choices a previous setup recorded, or undefined when none did; a damaged file is a one-line error naming it. */
export function readSetupRecord(secretsDir: string): SetupChoices | undefined {
  const path = join(secretsDir, SETUP_RECORD_FILE);
  const text = readIfExists(path);
  if (text === undefined) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = undefined;
  }
  const invalid = (why: string) => new CliError(`${path} is not valid (${why}): fix it, or delete it and give setup's flags again.`);
  if (!isObject(raw)) throw invalid('not a JSON object');
  if (raw.version !== SETUP_RECORD_VERSION) {
    throw typeof raw.version === 'number' && raw.version > SETUP_RECORD_VERSION
      ? new CliError(`${path} was written by a newer pesquel (version ${raw.version}): upgrade pesquel, or delete the file and give setup's flags again.`)
      : invalid(`version must be ${SETUP_RECORD_VERSION}`);
  }
  const why = problem(raw);
  if (why !== undefined) throw invalid(why);
  try {
    const domain = parseDomain(raw.domain as string);
    const tls = recordedTls(raw.tls as Raw, domain);
    const r = raw as Omit<SetupChoices, 'domain' | 'tls'>; // checked by problem()
    return { domain, tls, apiDb: r.apiDb, pgadmin: r.pgadmin, monitoring: r.monitoring, backups: r.backups, httpPort: r.httpPort, httpsPort: r.httpsPort, postgresPort: r.postgresPort };
  } catch (err) {
    throw invalid((err as Error).message.replace(/\.$/, ''));
  }
}

function problem(r: Raw): string | undefined {
  if (typeof r.domain !== 'string') return 'domain must be a string';
  if (r.apiDb !== 'postgres' && r.apiDb !== 'pgbouncer') return "apiDb must be 'postgres' or 'pgbouncer'";
  const flag = (['pgadmin', 'monitoring', 'backups'] as const).find((k) => typeof r[k] !== 'boolean');
  if (flag !== undefined) return `${flag} must be true or false`;
  const port = (['httpPort', 'httpsPort', 'postgresPort'] as const).find((k) => !isPort(r[k]));
  if (port !== undefined) return `${port} must be a port number (1-65535)`;
  if (!isObject(r.tls)) return 'tls must be an object';
  return undefined;
}

/** Validated as the flags are: the same mode names, address and challenge checks. */
function recordedTls(t: Raw, domain: string): TlsSettings {
  const text = (v: unknown) => (typeof v === 'string' ? v : v === undefined ? undefined : String(v));
  if (t.mode !== 'acme') return tlsSettings({ tls: text(t.mode) ?? 'missing' }, domain);
  if (typeof t.staging !== 'boolean') throw new Error('tls.staging must be true or false');
  return tlsSettings({ tls: 'acme', 'acme-email': text(t.email), 'acme-staging': t.staging, 'acme-challenge': text(t.challenge) ?? 'missing' }, domain);
}

/** The file's text: fixed key order, so an unchanged choice rewrites nothing. */
export function renderSetupRecord(c: SetupChoices): string {
  const { domain, tls, apiDb, pgadmin, monitoring, backups, httpPort, httpsPort, postgresPort } = c;
  const record = { version: SETUP_RECORD_VERSION, domain, tls, apiDb, pgadmin, monitoring, backups, httpPort, httpsPort, postgresPort };
  return `${JSON.stringify(record, null, 2)}\n`;
}

/** Writes the choices when they differ from the file (owner-only, through a temporary file and a rename). Returns whether it wrote. */
export function writeSetupRecord(secretsDir: string, c: SetupChoices): boolean {
  const path = join(secretsDir, SETUP_RECORD_FILE);
  const text = renderSetupRecord(c);
  if (readIfExists(path) === text) return false;
  const tmp = `${path}.${process.pid}.tmp`;
  rmSync(tmp, { force: true });
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  return true;
}
