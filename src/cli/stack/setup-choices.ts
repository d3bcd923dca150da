// Setup's choices: the flags over the ones the last setup recorded (secrets/setup.json) over the
// defaults, and the lines that say which remembered ones were used and what a flag changed.
import { CliError } from '../cli-error.js';
import type { ApiDbRoute } from './compose.js';
import { DEFAULT_DOMAIN, isLoopbackDomain, parseDomain } from './domain.js';
import { optionalPort } from './options.js';
import type { SetupChoices } from './setup-record.js';
import { chooseTls, describeTls } from './tls-choice.js';
import type { TlsChoiceFlags } from './tls-choice.js';

export const DEFAULT_CHOICES: SetupChoices = {
  domain: DEFAULT_DOMAIN, tls: { mode: 'off' }, apiDb: 'postgres', pgadmin: false, monitoring: false, backups: false,
  httpPort: 80, httpsPort: 443, postgresPort: 5432,
};

type AddOn = 'pgadmin' | 'monitoring' | 'backups';

export type ChoiceFlags = TlsChoiceFlags & {
  domain?: string | undefined;
  'api-db'?: string | undefined;
  'http-port'?: string | undefined;
  'https-port'?: string | undefined;
  'postgres-port'?: string | undefined;
} & { [K in AddOn | `no-${AddOn}`]?: boolean | undefined };

export type Chosen = { choices: SetupChoices; remembered: string[] };

export function apiDbOption(value: string): ApiDbRoute {
  if (value === 'pgbouncer' || value === 'postgres') return value;
  throw new CliError(`--api-db must be 'pgbouncer' or 'postgres', not '${value}'.`, 2);
}

function addOn(name: AddOn, f: ChoiceFlags): boolean | undefined {
  const on = f[name] === true;
  const off = f[`no-${name}`] === true;
  if (on && off) throw new CliError(`--${name} cannot go with --no-${name}.`, 2);
  return on ? true : off ? false : undefined;
}

/**
 * Each choice: its flag when given, else the recorded value, else the default; `remembered` lists
 * the recorded ones used that differ from the defaults, as flags.
 * Example: record { domain: 'example.com', pgadmin: true, … } + `--no-pgadmin`
 *   → { domain: 'example.com', pgadmin: false, … }, remembered ['--domain example.com']
 */
export function chooseSetup(f: ChoiceFlags, recorded: SetupChoices | undefined): Chosen {
  const base = recorded ?? DEFAULT_CHOICES;
  const remembered: string[] = [];
  const pick = <K extends Exclude<keyof SetupChoices, 'tls'>>(key: K, flag: SetupChoices[K] | undefined, asFlag: (v: SetupChoices[K]) => string): SetupChoices[K] => {
    if (flag !== undefined) return flag;
    if (base[key] !== DEFAULT_CHOICES[key]) remembered.push(asFlag(base[key]));
    return base[key];
  };
  const domain = pick('domain', f.domain === undefined ? undefined : parseDomain(f.domain), (v) => `--domain ${v}`);
  const apiDb = pick('apiDb', f['api-db'] === undefined ? undefined : apiDbOption(f['api-db']), (v) => `--api-db ${v}`);
  const pgadmin = pick('pgadmin', addOn('pgadmin', f), () => '--pgadmin');
  const monitoring = pick('monitoring', addOn('monitoring', f), () => '--monitoring');
  const backups = pick('backups', addOn('backups', f), () => '--backups');
  const httpPort = pick('httpPort', optionalPort('http-port', f['http-port']), (v) => `--http-port ${v}`);
  const tls = chooseTls(f, base.tls, domain);
  remembered.push(...tls.remembered);
  const httpsFlag = optionalPort('https-port', f['https-port']);
  if (tls.settings.mode === 'off' && httpsFlag !== undefined) throw new CliError('--https-port needs HTTPS: --acme-email <address> or --tls self-signed.', 2);
  // Over plain HTTP the HTTPS port is kept for later but not in use, so not worth a mention.
  const httpsPort = tls.settings.mode === 'off' ? base.httpsPort : pick('httpsPort', httpsFlag, (v) => `--https-port ${v}`);
  const postgresPort = pick('postgresPort', optionalPort('postgres-port', f['postgres-port']), (v) => `--postgres-port ${v}`);
  return { choices: { domain, tls: tls.settings, apiDb, pgadmin, monitoring, backups, httpPort, httpsPort, postgresPort }, remembered };
}

/** One line naming the remembered choices used (none when there are none), then what moved away from a real domain or HTTPS. */
export function choiceLines(recordPath: string, chosen: Chosen, recorded: SetupChoices | undefined): string[] {
  const lines = chosen.remembered.length === 0 ? [] : [`Remembered from ${recordPath}: ${chosen.remembered.join(' ')} (a flag overrides each).`];
  if (recorded === undefined) return lines;
  const now = chosen.choices;
  if (recorded.domain !== now.domain && !isLoopbackDomain(recorded.domain)) {
    lines.push(`Changing the domain from ${recorded.domain} (recorded) to ${now.domain}: the stack no longer answers at ${recorded.domain}'s names.`);
  }
  if (recorded.tls.mode !== 'off' && now.tls.mode === 'off') {
    const hsts = recorded.tls.mode === 'acme' ? ' Browsers that visited it keep asking for HTTPS for up to a year (HSTS).' : '';
    lines.push(`Turning HTTPS off: the last setup served ${describeTls(recorded.tls)}, this one serves plain HTTP only.${hsts}`);
  } else if (recorded.tls.mode !== now.tls.mode) {
    lines.push(`Switching from ${describeTls(recorded.tls)} to ${describeTls(now.tls)}.`);
  }
  return lines;
}
