// A stack set up by a pesquel that did not record its choices yet (secrets but no secrets/setup.json):
// the Traefik configuration it generated still shows its domain and HTTPS mode. Setup refuses to drop
// them silently and names the flags to give once more.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from '../cli-error.js';
import { DEFAULT_DOMAIN } from './domain.js';
import { readIfExists } from './files.js';
import type { SetupChoices } from './setup-record.js';
import type { ChoiceFlags } from './setup-choices.js';
import { PRIMARY_SECRETS } from './secrets.js';
import { TRAEFIK_DYNAMIC_FILE, TRAEFIK_STATIC_FILE } from './tls-files.js';
import { traefikConfigDir } from './tls.js';
import { LETS_ENCRYPT_STAGING } from './traefik.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
export type LegacyChoices = { domain?: string; tlsFlags: string[] };

function readGenerated(path: string): Json | undefined {
  const text = readIfExists(path);
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text.replace(/^#.*\n/, ''));
    return typeof value === 'object' && value !== null ? (value as Json) : undefined;
  } catch {
    return undefined; // edited by hand: nothing to go by
  }
}

/** What <stack>/traefik/ says the last setup chose, as flags; undefined when setup never generated it. */
export function legacyChoices(stackDir: string): LegacyChoices | undefined {
  const dir = traefikConfigDir(stackDir);
  const stat = readGenerated(join(dir, TRAEFIK_STATIC_FILE));
  const dyn = readGenerated(join(dir, TRAEFIK_DYNAMIC_FILE));
  if (stat === undefined || dyn === undefined) return undefined;
  const rule = /^Host\(`api\.([a-z0-9.-]+)`\)$/.exec(String(dyn.http?.routers?.api?.rule ?? ''));
  const tlsFlags: string[] = [];
  const acme = Object.values((stat.certificatesResolvers ?? {}) as Json)[0]?.acme as Json | undefined;
  if (acme !== undefined) {
    tlsFlags.push(`--acme-email ${String(acme.email)}`);
    if (acme.caServer === LETS_ENCRYPT_STAGING) tlsFlags.push('--acme-staging');
    if (acme.tlsChallenge !== undefined) tlsFlags.push('--acme-challenge tls-alpn');
  } else if (dyn.tls !== undefined) {
    tlsFlags.push('--tls self-signed');
  }
  const to = String(stat.entryPoints?.web?.http?.redirections?.entryPoint?.to ?? 'websecure');
  if (tlsFlags.length > 0 && to.startsWith(':')) tlsFlags.push(`--https-port ${to.slice(1)}`);
  return { ...(rule?.[1] === undefined ? {} : { domain: rule[1] }), tlsFlags };
}

/**
 * Without a record, a stack that has its secrets already would fall back to the defaults: stop when
 * that drops the domain or HTTPS the generated files show and no flag says so. (After `teardown
 * --secrets` there are no secrets either: that stack starts afresh.)
 * Example: traefik/ for example.com with Let's Encrypt, `pesquel setup --pgadmin` → an error naming
 * `--domain example.com --acme-email ops@example.com`.
 */
export function checkLegacyStack(stackDir: string, secretsDir: string, f: ChoiceFlags, chosen: SetupChoices): void {
  if (!PRIMARY_SECRETS.some((s) => existsSync(join(secretsDir, s.file)))) return;
  const legacy = legacyChoices(stackDir);
  if (legacy === undefined) return;
  const domainFlag = legacy.domain !== undefined && legacy.domain !== DEFAULT_DOMAIN ? [`--domain ${legacy.domain}`] : [];
  const tlsGiven = f.tls !== undefined || f['acme-email'] !== undefined;
  const dropsDomain = domainFlag.length > 0 && f.domain === undefined && chosen.domain !== legacy.domain;
  const dropsHttps = legacy.tlsFlags.length > 0 && !tlsGiven && chosen.tls.mode === 'off';
  if (!dropsDomain && !dropsHttps) return;
  const flags = [...domainFlag, ...legacy.tlsFlags].join(' ');
  throw new CliError(`No choices recorded in secrets/setup.json (a stack set up by an older pesquel), but ${traefikConfigDir(stackDir)} shows ${flags}: give them once more, or the ones you want now (e.g. --tls off); later runs remember them.`, 2);
}
