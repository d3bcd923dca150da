// The local CA of `--tls self-signed` is name-constrained to the stack's domain: Node's TLS client
// (OpenSSL) accepts the certificate setup issues, and refuses one for another name or an IP address
// signed with the same CA key; an older, unconstrained CA is kept (with a warning), never re-issued silently.
import 'reflect-metadata';
import { AsnConvert } from '@peculiar/asn1-schema';
import { NameConstraints } from '@peculiar/asn1-x509';
import * as x509 from '@peculiar/x509';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureLocalCertificates } from '../../src/cli/stack/tls-ca.js';
import { permittedDnsNames } from '../../src/cli/stack/tls-constraints.js';
import { prepareHttps } from '../../src/cli/stack/tls-setup.js';
import { certificatesDir, LOCAL_FILES } from '../../src/cli/stack/tls.js';
import { makeStackDir, removeStackDir } from './helpers/stack-dir.js';
import { localCaSuite } from './helpers/local-ca.js';
import { handshake } from './helpers/tls-handshake.js';

const crypto = webcrypto as unknown as Parameters<typeof x509.X509CertificateGenerator.create>[1];
const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 86_400_000;
type Name = { type: 'dns' | 'ip'; value: string };
type Pem = { cert: string; key: string };

async function keyPem(key: webcrypto.CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await crypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

/** A leaf for `names`, signed with the key in `dir`/ca.key: what someone holding a leaked CA key could make. */
async function forgeLeaf(dir: string, names: Name[]): Promise<Pem> {
  const ca = new x509.X509Certificate(readFileSync(join(dir, LOCAL_FILES.caCert), 'utf8'));
  const caKeyDer = x509.PemConverter.decodeFirst(readFileSync(join(dir, LOCAL_FILES.caKey), 'utf8'));
  const signingKey = await crypto.subtle.importKey('pkcs8', caKeyDer, EC, false, ['sign']);
  const keys = await crypto.subtle.generateKey(EC, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: '0a1b2c', subject: `CN=${names[0]?.value ?? 'forged'}`, issuer: ca.subject,
    notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + DAY),
    signingAlgorithm: EC, publicKey: keys.publicKey, signingKey,
    extensions: [new x509.BasicConstraintsExtension(false), new x509.SubjectAlternativeNameExtension(names)],
  }, crypto);
  return { cert: cert.toString('pem'), key: await keyPem(keys.privateKey) };
}

/** A CA as setup made it before name constraints: same extensions, none limiting the names. */
async function writeUnconstrainedCa(dir: string): Promise<void> {
  const keys = await crypto.subtle.generateKey(EC, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01', name: 'CN=PeSquel local CA (pesquel.localhost), O=PeSquel',
    notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 3650 * DAY), signingAlgorithm: EC, keys,
    extensions: [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)],
  }, crypto);
  writeFileSync(join(dir, LOCAL_FILES.caKey), `${await keyPem(keys.privateKey)}\n`, { mode: 0o600 });
  writeFileSync(join(dir, LOCAL_FILES.caCert), `${cert.toString('pem')}\n`);
}

const read = (dir: string, name: string): string => readFileSync(join(dir, name), 'utf8');
/** Only the chain is judged (checkHost false): a refusal is OpenSSL's, not Node's host-name check. */
const chainCheck = (dir: string, leaf: Pem, servername: string) => handshake(leaf.cert, leaf.key, { servername, ca: read(dir, LOCAL_FILES.caCert), checkHost: false });

describe('local CA name constraints', () => {
  const domain = 'pesquel.localhost';
  const local = localCaSuite(domain);

  it('the CA carries a critical extension permitting only the domain (its subdomains included) and no IP address', () => {
    const ca = new x509.X509Certificate(read(local.dir, LOCAL_FILES.caCert));
    const ext = ca.getExtension('2.5.29.30');
    assert.ok(ext, 'nameConstraints present');
    assert.equal(ext.critical, true);
    assert.deepEqual(permittedDnsNames(new Uint8Array(ca.rawData)), [domain]);
    const nc = AsnConvert.parse(ext.value, NameConstraints);
    assert.deepEqual([...(nc.excludedSubtrees ?? [])].map((s) => s.base.iPAddress), ['0.0.0.0/0', '::/0']);
  });

  it('Node verifies the certificate setup issued for api.<domain> against the CA', async () => {
    const r = await handshake(read(local.dir, LOCAL_FILES.cert), read(local.dir, LOCAL_FILES.key), { servername: `api.${domain}`, ca: read(local.dir, LOCAL_FILES.caCert) });
    assert.equal(r.error, undefined, r.message);
    assert.equal(r.authorized, true);
    assert.match(r.body ?? '', /hello over TLS$/);
  });

  it('a certificate for another name signed with the same CA key is refused: permitted subtree violation', async () => {
    const r = await chainCheck(local.dir, await forgeLeaf(local.dir, [{ type: 'dns', value: 'example.com' }]), 'example.com');
    assert.equal(r.authorized, false);
    assert.match(r.message ?? '', /permitted subtree violation/);
  });

  it('so is one for a look-alike name (suffix without the dot) and one naming an IP address', async () => {
    const lookAlike = await chainCheck(local.dir, await forgeLeaf(local.dir, [{ type: 'dns', value: `evil${domain}` }]), `evil${domain}`);
    assert.match(lookAlike.message ?? '', /permitted subtree violation/);
    const ip = await chainCheck(local.dir, await forgeLeaf(local.dir, [{ type: 'ip', value: '127.0.0.1' }]), 'localhost');
    assert.match(ip.message ?? '', /excluded subtree violation/);
  });

  it('a forged subdomain is within the constraint (the check is by name, not by who signed)', async () => {
    const r = await chainCheck(local.dir, await forgeLeaf(local.dir, [{ type: 'dns', value: `db.${domain}` }]), `db.${domain}`);
    assert.equal(r.error, undefined, r.message);
  });

  it('another domain gets a new CA constrained to it, and setup says to trust it', async () => {
    const oldCa = read(local.dir, LOCAL_FILES.caCert);
    const step = await prepareHttps({ stackDir: local.stack, domain: 'theddt.localhost', tls: { mode: 'self-signed' }, httpsPort: 443, env: process.env });
    assert.notEqual(read(local.dir, LOCAL_FILES.caCert), oldCa);
    assert.match(step.lines.join('\n'), /Local CA replaced, certificate for theddt\.localhost .* renewed/);
    assert.match(step.lines.join('\n'), /new one signs only theddt\.localhost[\s\S]*Browsers warn until/);
    const ca = new x509.X509Certificate(read(local.dir, LOCAL_FILES.caCert));
    assert.deepEqual(permittedDnsNames(new Uint8Array(ca.rawData)), ['theddt.localhost']);
    const r = await handshake(read(local.dir, LOCAL_FILES.cert), read(local.dir, LOCAL_FILES.key), { servername: 'api.theddt.localhost', ca: read(local.dir, LOCAL_FILES.caCert) });
    assert.equal(r.authorized, true, r.message);
    assert.deepEqual(await ensureLocalCertificates(local.dir, 'theddt.localhost'), { ca: 'kept', server: 'kept', constrained: true });
  });
});

describe('a local CA made before name constraints', () => {
  let stack: string;
  let dir: string;
  before(async () => {
    stack = makeStackDir();
    dir = certificatesDir(stack);
    await ensureLocalCertificates(dir, 'pesquel.localhost');
    for (const f of [LOCAL_FILES.caCert, LOCAL_FILES.caKey, LOCAL_FILES.cert, LOCAL_FILES.key]) rmSync(join(dir, f));
    await writeUnconstrainedCa(dir);
  });
  after(() => removeStackDir(stack));

  it('keeps working: it is kept (also for another domain), and setup warns how to replace it', async () => {
    const oldCa = read(dir, LOCAL_FILES.caCert);
    const step = await prepareHttps({ stackDir: stack, domain: 'pesquel.localhost', tls: { mode: 'self-signed' }, httpsPort: 443, env: process.env });
    assert.equal(read(dir, LOCAL_FILES.caCert), oldCa);
    assert.match(step.lines.join('\n'), /Warning: the local CA .* can sign certificates for any site\. To replace it: delete ca\.crt, ca\.key/);
    assert.doesNotMatch(step.lines.join('\n'), /Browsers warn/);
    assert.deepEqual(await ensureLocalCertificates(dir, 'theddt.localhost'), { ca: 'kept', server: 'renewed', constrained: false });
    assert.equal(read(dir, LOCAL_FILES.caCert), oldCa);
    const r = await handshake(read(dir, LOCAL_FILES.cert), read(dir, LOCAL_FILES.key), { servername: 'api.theddt.localhost', ca: oldCa });
    assert.equal(r.authorized, true, r.message);
  });

  it('which is why it matters: Node accepts any name it signs', async () => {
    const r = await chainCheck(dir, await forgeLeaf(dir, [{ type: 'dns', value: 'example.com' }]), 'example.com');
    assert.equal(r.error, undefined, r.message);
    assert.equal(r.authorized, true);
  });

  it('a damaged CA file or a key of another CA is a one-line error naming the files', async () => {
    const key = read(dir, LOCAL_FILES.caKey);
    const other = makeStackDir();
    try {
      await ensureLocalCertificates(other, 'pesquel.localhost');
      writeFileSync(join(dir, LOCAL_FILES.caKey), read(other, LOCAL_FILES.caKey));
      await assert.rejects(ensureLocalCertificates(dir, 'pesquel.localhost'), (e: Error) => /ca\.key is not the key of .*ca\.crt: delete/.test(e.message) && !e.message.includes('\n'));
      writeFileSync(join(dir, LOCAL_FILES.caKey), key);
      writeFileSync(join(dir, LOCAL_FILES.caCert), '-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n');
      await assert.rejects(ensureLocalCertificates(dir, 'pesquel.localhost'), (e: Error) => /ca\.crt or .*ca\.key cannot be read/.test(e.message) && !e.message.includes('\n'));
    } finally {
      removeStackDir(other);
    }
  });
});
