// `--tls self-signed`: a local CA, name-constrained to the domain, and a certificate for the domain and
// its subdomains, built with @peculiar/x509 on Node's WebCrypto (ECDSA P-256). Written once into
// <stack>/certificates/ (keys owner-only) and reused: a later setup issues a new leaf only near expiry
// or for another domain, and a new CA only when the domain is outside the one it may sign for.
import 'reflect-metadata'; // @peculiar/x509's dependency injection needs the Reflect API; must load first
import * as x509 from '@peculiar/x509';
import { createPrivateKey, createPublicKey, randomBytes, webcrypto, X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from '../cli-error.js';
import { hostNames } from './domain.js';
import { createFile, ensurePrivateDir, readIfExists, replaceFile } from './files.js';
import { LOCAL_FILES } from './tls.js';
import { coversDomain, nameConstraintsExtension, permittedDnsNames } from './tls-constraints.js';

const { caCert: CA_CERT, caKey: CA_KEY, cert: SERVER_CERT, key: SERVER_KEY } = LOCAL_FILES;

const DAY = 86_400_000;
const CA_DAYS = 3650;
/** Apple's limit for TLS server certificates, whoever issued them. */
const LEAF_DAYS = 825;
const RENEW_WITHIN_DAYS = 30;
const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const crypto = webcrypto as unknown as Parameters<typeof x509.X509CertificateGenerator.create>[1];

export type LocalCertificates = {
  /** 'replaced': the CA could not sign for the domain (constrained to another one), so a new CA was made. */
  ca: 'created' | 'kept' | 'replaced';
  server: 'created' | 'kept' | 'renewed';
  /** False for a CA made before setup added name constraints: it can sign any name (kept, not re-issued silently). */
  constrained: boolean;
};

/** Makes sure `dir` holds a CA and a certificate for `domain` and `*.domain`; returns what it did. */
export async function ensureLocalCertificates(dir: string, domain: string, now = new Date()): Promise<LocalCertificates> {
  ensurePrivateDir(dir);
  createFile(join(dir, LOCAL_FILES.gitignore), '# Written by `pesquel setup`: private keys, never in git.\n*\n');
  const ca = await ensureCa(dir, domain, now);
  const current = readIfExists(join(dir, SERVER_CERT));
  if (current !== undefined && existsSync(join(dir, SERVER_KEY)) && leafIsGood(new X509Certificate(current), ca.cert, domain, now)) {
    return { ca: ca.state, server: 'kept', constrained: ca.constrained };
  }
  await issueLeaf(dir, domain, ca.cert, readFileSync(join(dir, CA_KEY), 'utf8'), now);
  return { ca: ca.state, server: current === undefined ? 'created' : 'renewed', constrained: ca.constrained };
}

type CaState = { state: LocalCertificates['ca']; cert: X509Certificate; constrained: boolean };

/** Keeps a CA that may sign for `domain` (or any name: an old one); else makes one, replacing a half-written pair. */
async function ensureCa(dir: string, domain: string, now: Date): Promise<CaState> {
  const certPath = join(dir, CA_CERT);
  const keyPath = join(dir, CA_KEY);
  const haveCert = existsSync(certPath);
  const haveKey = existsSync(keyPath);
  if (!haveCert && !haveKey) return { state: 'created', cert: await createCa(dir, domain, now, 'create'), constrained: true };
  const before = haveCert && haveKey ? readCa(certPath, keyPath) : undefined;
  if (before === undefined) return { state: 'created', cert: await createCa(dir, domain, now, 'replace'), constrained: true };
  if (before.permitted === undefined) return { state: 'kept', cert: before.cert, constrained: false };
  if (coversDomain(before.permitted, domain)) return { state: 'kept', cert: before.cert, constrained: true };
  return { state: 'replaced', cert: await createCa(dir, domain, now, 'replace'), constrained: true };
}

/** The CA certificate and the names it may sign for; a damaged file or another certificate's key is a one-line error. */
function readCa(certPath: string, keyPath: string): { cert: X509Certificate; permitted: string[] | undefined } {
  const redo = 'delete ca.crt, ca.key, server.crt and server.key and run setup again, then trust the new CA';
  let cert: X509Certificate;
  let matches: boolean;
  let permitted: string[] | undefined;
  try {
    cert = new X509Certificate(readFileSync(certPath));
    const spki = (k: KeyObject) => k.export({ type: 'spki', format: 'der' });
    matches = spki(createPublicKey(createPrivateKey(readFileSync(keyPath)))).equals(spki(cert.publicKey));
    permitted = permittedDnsNames(cert.raw);
  } catch (err) {
    throw new CliError(`${certPath} or ${keyPath} cannot be read (${(err as Error).message.split('\n')[0]}): ${redo}.`);
  }
  if (!matches) throw new CliError(`${keyPath} is not the key of ${certPath}: ${redo}.`);
  return { cert, permitted };
}

/** Signed by this CA, names the domain (a wildcard covers the subdomains) and is not about to expire. */
function leafIsGood(leaf: X509Certificate, ca: X509Certificate, domain: string, now: Date): boolean {
  const expires = new Date(leaf.validTo).getTime();
  return leaf.checkIssued(ca) && leaf.verify(ca.publicKey) && [domain, ...hostNames(domain)].every((h) => leaf.checkHost(h) !== undefined)
    && expires - now.getTime() > RENEW_WITHIN_DAYS * DAY;
}

async function createCa(dir: string, domain: string, now: Date, how: 'create' | 'replace'): Promise<X509Certificate> {
  const keys = await crypto.subtle.generateKey(EC, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=PeSquel local CA (${domain}), O=PeSquel`,
    notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + CA_DAYS * DAY),
    signingAlgorithm: EC,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      nameConstraintsExtension(domain),
    ],
  }, crypto);
  // The key first: a certificate without its key would be "an existing CA" that cannot sign.
  await writeKey(join(dir, CA_KEY), keys.privateKey, how);
  const pem = cert.toString('pem') + '\n';
  if (how === 'create') createFile(join(dir, CA_CERT), pem);
  else replaceFile(join(dir, CA_CERT), pem);
  return new X509Certificate(pem);
}

async function issueLeaf(dir: string, domain: string, ca: X509Certificate, caKeyPem: string, now: Date): Promise<void> {
  const caKey = await crypto.subtle.importKey('pkcs8', createPrivateKey(caKeyPem).export({ type: 'pkcs8', format: 'der' }), EC, false, ['sign']);
  const keys = await crypto.subtle.generateKey(EC, true, ['sign', 'verify']);
  const caCert = new x509.X509Certificate(ca.raw);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${domain}`,
    issuer: caCert.subject,
    notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + LEAF_DAYS * DAY),
    signingAlgorithm: EC,
    publicKey: keys.publicKey,
    signingKey: caKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      // The stack's names too: browsers refuse a wildcard right under a top-level name (`*.localhost`).
      new x509.SubjectAlternativeNameExtension([domain, `*.${domain}`, ...hostNames(domain)].map((value) => ({ type: 'dns', value }))),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      await x509.AuthorityKeyIdentifierExtension.create(caCert, false, crypto),
    ],
  }, crypto);
  await writeKey(join(dir, SERVER_KEY), keys.privateKey, 'replace');
  replaceFile(join(dir, SERVER_CERT), cert.toString('pem') + '\n');
}

async function writeKey(path: string, key: webcrypto.CryptoKey, how: 'create' | 'replace'): Promise<void> {
  const der = await crypto.subtle.exportKey('pkcs8', key);
  const pem = x509.PemConverter.encode(der, 'PRIVATE KEY') + '\n';
  if (how === 'create') createFile(path, pem);
  else replaceFile(path, pem);
}

/** A positive 128-bit serial (the top bit clear so DER needs no sign byte). */
function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}
