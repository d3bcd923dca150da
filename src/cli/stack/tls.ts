// How `pesquel setup` serves the stack: plain HTTP, Let's Encrypt (ACME) or a local CA, chosen from
// --tls / --acme-* against the domain; and where each mode keeps its files and compose overlays.
import { join } from 'node:path';
import { CliError } from '../cli-error.js';
import { isLoopbackDomain } from './domain.js';
import { deployDir } from './paths.js';

export type AcmeChallenge = 'http' | 'tls-alpn';
export type TlsSettings =
  | { readonly mode: 'off' }
  | { readonly mode: 'acme'; readonly email: string; readonly staging: boolean; readonly challenge: AcmeChallenge }
  | { readonly mode: 'self-signed' };

export type TlsFlags = {
  tls?: string | undefined;
  'acme-email'?: string | undefined;
  'acme-staging'?: boolean | undefined;
  'acme-challenge'?: string | undefined;
};

/** Let's Encrypt's certificates and account live here; external, so `teardown --volumes` keeps it. */
export const ACME_VOLUME = 'pesquel-certificates';

const EMAIL = /^[^\s@"'`\\]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i;
const ACME_ONLY = ['acme-email', 'acme-staging', 'acme-challenge'] as const;

/**
 * `--acme-email` alone turns ACME on; without flags the stack stays on plain HTTP.
 * Example: `--domain example.com --acme-email ops@example.com --acme-staging`
 *   → { mode: 'acme', email: 'ops@example.com', staging: true, challenge: 'http' }
 */
export function tlsSettings(f: TlsFlags, domain: string): TlsSettings {
  const mode = f.tls ?? (f['acme-email'] !== undefined ? 'acme' : 'off');
  if (mode !== 'off' && mode !== 'acme' && mode !== 'self-signed') {
    throw new CliError(`--tls must be 'off', 'acme' or 'self-signed', not '${mode}'.`, 2);
  }
  if (mode !== 'acme') {
    const stray = ACME_ONLY.find((k) => f[k] !== undefined && f[k] !== false);
    if (stray) throw new CliError(`--${stray} is for Let's Encrypt certificates; it does not go with --tls ${mode}.`, 2);
    return { mode };
  }
  const email = f['acme-email'];
  if (email === undefined) throw new CliError("--tls acme needs --acme-email <address>: Let's Encrypt's contact for expiry notices.", 2);
  if (!EMAIL.test(email)) throw new CliError(`--acme-email '${email}' is not an e-mail address.`, 2);
  if (isLoopbackDomain(domain)) {
    throw new CliError(`Let's Encrypt cannot issue certificates for ${domain}: use --tls self-signed for a local domain, or a public --domain.`, 2);
  }
  const challenge = f['acme-challenge'] ?? 'http';
  if (challenge !== 'http' && challenge !== 'tls-alpn') {
    throw new CliError(`--acme-challenge must be 'http' or 'tls-alpn', not '${challenge}'.`, 2);
  }
  return { mode: 'acme', email, staging: f['acme-staging'] === true, challenge };
}

/** The overlays that switch Traefik to the generated HTTPS configuration (none for plain HTTP). */
export function tlsOverlayPaths(tls: TlsSettings): string[] {
  if (tls.mode === 'off') return [];
  const mode = tls.mode === 'acme' ? 'docker-compose.acme.yml' : 'docker-compose.self-signed.yml';
  return [join(deployDir(), 'docker-compose.https.yml'), join(deployDir(), 'traefik', mode)];
}

/** Generated Traefik configuration (rewritten by every setup in an HTTPS mode). */
export function traefikConfigDir(stackDir: string): string {
  return join(stackDir, 'traefik');
}

/** Files of certificatesDir(): the CA (its key never leaves the host) and the certificate Traefik serves. */
export const LOCAL_FILES = { caCert: 'ca.crt', caKey: 'ca.key', cert: 'server.crt', key: 'server.key', gitignore: '.gitignore' } as const;

/** The local CA and the domain's certificate of `--tls self-signed` (written once, then reused). */
export function certificatesDir(stackDir: string): string {
  return join(stackDir, 'certificates');
}
