// Setup's HTTPS step: writes Traefik's generated configuration, creates the ACME volume or the local
// certificates, and says what it did. A certificate that is still good is never issued again.
import { join } from 'node:path';
import { CliError } from '../cli-error.js';
import { isLoopbackDomain } from './domain.js';
import { execCapture, firstLine } from './exec.js';
import { trustLines, writeTraefikConfig } from './tls-files.js';
import { ACME_VOLUME, certificatesDir, LOCAL_FILES, tlsOverlayPaths, traefikConfigDir } from './tls.js';
import type { TlsSettings } from './tls.js';
import type { LocalCertificates } from './tls-ca.js';

export type HttpsStep = {
  /** Compose files to layer on the main one (none for plain HTTP). */
  overlays: string[];
  /** Traefik reads its static configuration and certificate files only when it starts. */
  restartTraefik: boolean;
  lines: string[];
};

export type HttpsInput = { stackDir: string; domain: string; tls: TlsSettings; httpsPort: number; env: NodeJS.ProcessEnv; apiInstances?: number };

export async function prepareHttps(i: HttpsInput): Promise<HttpsStep> {
  if (i.tls.mode === 'off') {
    const lines = isLoopbackDomain(i.domain) ? [] : [`HTTPS is off for ${i.domain}: add --acme-email <address> for Let's Encrypt certificates, or --tls self-signed.`];
    return { overlays: [], restartTraefik: false, lines };
  }
  const lines: string[] = [];
  let certificatesChanged = false;
  if (i.tls.mode === 'acme') {
    lines.push(`Certificate volume '${ACME_VOLUME}': ${await ensureVolume(i.env)}.`);
    const ca = i.tls.staging ? "Let's Encrypt's staging CA (browsers do not trust it: for trying out)" : "Let's Encrypt";
    const port = i.tls.challenge === 'http' ? '80' : '443';
    lines.push(`HTTPS from ${ca}, ${i.tls.challenge === 'http' ? 'HTTP-01' : 'TLS-ALPN-01'} challenge: port ${port} of this machine must be reachable from the internet as api.${i.domain} etc.`);
  } else {
    // Loaded only here: @peculiar/x509 needs the reflect-metadata polyfill, which the rest of the CLI does without.
    const { ensureLocalCertificates } = await import('./tls-ca.js');
    const dir = certificatesDir(i.stackDir);
    const done = await ensureLocalCertificates(dir, i.domain);
    certificatesChanged = done.server !== 'kept';
    lines.push(`Local CA ${done.ca}, certificate for ${i.domain} and *.${i.domain} ${done.server}, in ${dir}.`);
    lines.push(...caLines(dir, i.domain, done));
  }
  const changed = writeTraefikConfig(traefikConfigDir(i.stackDir), { domain: i.domain, tls: i.tls, httpsPort: i.httpsPort, apiInstances: i.apiInstances });
  return { overlays: tlsOverlayPaths(i.tls), restartTraefik: certificatesChanged || changed.length > 0, lines };
}

/** What the operator should do about the CA: trust a new one, or replace one that can sign any name. */
function caLines(dir: string, domain: string, done: LocalCertificates): string[] {
  const caCert = join(dir, LOCAL_FILES.caCert);
  if (!done.constrained) {
    return [`Warning: the local CA ${caCert} predates name constraints and can sign certificates for any site. To replace it: delete ca.crt, ca.key, server.crt and server.key in ${dir}, run setup again, trust the new CA and remove the old one from the trust store.`];
  }
  if (done.ca === 'kept') return [];
  const why = done.ca === 'replaced' ? `The old local CA could sign only for another domain; the new one signs only ${domain} and its subdomains (remove the old one from the trust store).` : `The local CA signs only ${domain} and its subdomains (X.509 name constraints).`;
  return [why, ...trustLines(caCert)];
}

/** The external volume of acme.json: created once, then kept by every setup and teardown. */
async function ensureVolume(env: NodeJS.ProcessEnv): Promise<'created' | 'exists'> {
  const found = await execCapture('docker', ['volume', 'inspect', '--format', '{{.Name}}', ACME_VOLUME], env);
  if (found.code === 0) return 'exists';
  const made = await execCapture('docker', ['volume', 'create', ACME_VOLUME], env);
  if (made.code !== 0) throw new CliError(`could not create the Docker volume '${ACME_VOLUME}': ${firstLine(made.stderr) || `exit code ${made.code}`}`);
  return 'created';
}
