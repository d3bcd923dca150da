// The stack's host names (api., admin., pgadmin., traefik. under one domain) and the hosts-file
// lines to print when a custom domain does not resolve. `*.localhost` needs no hosts file: browsers
// and curl send it to loopback.
import { lookup } from 'node:dns/promises';
import { CliError } from '../cli-error.js';

export const DEFAULT_DOMAIN = 'pesquel.localhost';
export const SUBDOMAINS = ['api', 'admin', 'pgadmin', 'traefik'] as const;

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const DOMAIN = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);

/** Lower-cases and checks a domain; it is interpolated into Traefik rules, so no other characters. */
export function parseDomain(input: string): string {
  const domain = input.trim().toLowerCase().replace(/\.$/, '');
  if (domain.length > 240 || !DOMAIN.test(domain)) {
    throw new CliError(`'${input}' is not a valid domain name (letters, digits, hyphens and dots, e.g. theddt.localhost).`);
  }
  return domain;
}

export function hostNames(domain: string): string[] {
  return SUBDOMAINS.map((s) => `${s}.${domain}`);
}

export function isLoopbackDomain(domain: string): boolean {
  return domain === 'localhost' || domain.endsWith('.localhost');
}

export type Resolver = (host: string) => Promise<boolean>;

/** Resolves through the OS (hosts file, then DNS), giving up after `timeoutMs`. */
export function systemResolver(timeoutMs = 3000): Resolver {
  return async (host) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); });
    try {
      return await Promise.race([lookup(host).then(() => true, () => false), timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
}

/** Host names of the stack that do not resolve; always none for `*.localhost`. */
export async function unresolvedHosts(domain: string, resolve: Resolver): Promise<string[]> {
  if (isLoopbackDomain(domain)) return [];
  const hosts = hostNames(domain);
  const ok = await Promise.all(hosts.map((h) => resolve(h)));
  return hosts.filter((_, i) => !ok[i]);
}

export function hostsFilePath(platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? 'C:\\Windows\\System32\\drivers\\etc\\hosts' : '/etc/hosts';
}

export function hostsFileLines(hosts: readonly string[]): string[] {
  return hosts.map((h) => `127.0.0.1 ${h}`);
}
