// HTTPS for the compose stack (issue 17): the flags, Traefik's generated static and dynamic
// configuration for each mode, the compose overlays (validated by docker-compose when installed),
// the local CA verified by Node's TLS client against a real HTTPS server, and setup/teardown keeping
// certificates, end to end against the recording docker stand-in.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { writeDerivedFiles } from '../../src/cli/stack/derived.js';
import { ensurePrivateDir } from '../../src/cli/stack/files.js';
import { deployDir } from '../../src/cli/stack/paths.js';
import { ensurePrimarySecrets, readPrimaryValues } from '../../src/cli/stack/secrets.js';
import { ensureLocalCertificates } from '../../src/cli/stack/tls-ca.js';
import { TRAEFIK_DYNAMIC_FILE, TRAEFIK_STATIC_FILE, writeTraefikConfig } from '../../src/cli/stack/tls-files.js';
import { ACME_VOLUME, certificatesDir, LOCAL_FILES, tlsOverlayPaths, tlsSettings } from '../../src/cli/stack/tls.js';
import type { TlsFlags, TlsSettings } from '../../src/cli/stack/tls.js';
import { ACME_STORAGE, HSTS_SECONDS, LETS_ENCRYPT, LETS_ENCRYPT_STAGING, SERVER_CERT, SERVER_KEY, traefikDynamic, traefikStatic } from '../../src/cli/stack/traefik.js';
import { runCli } from './helpers/cli.js';
import { loadCompose, readDeployFile } from './helpers/compose-model.js';
import type { Service } from './helpers/compose-model.js';
import { FakeDocker } from './helpers/fake-docker.js';
import { makeStackDir, removeStackDir } from './helpers/stack-dir.js';
import { localCaSuite } from './helpers/local-ca.js';
import { handshake } from './helpers/tls-handshake.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const posix = process.platform !== 'win32';
const ACME: TlsSettings = { mode: 'acme', email: 'ops@example.com', staging: false, challenge: 'http' };
const SELF: TlsSettings = { mode: 'self-signed' };
const OFF: TlsSettings = { mode: 'off' };
const ROUTERS = ['api', 'admin', 'pgadmin', 'dashboard'];

describe('tlsSettings: the flags', () => {
  const ok: Array<[string, TlsFlags, string, TlsSettings]> = [
    ['no flag: plain HTTP', {}, 'pesquel.localhost', OFF],
    ['no flag, public domain: still plain HTTP', {}, 'example.com', OFF],
    ['--acme-email alone turns ACME on', { 'acme-email': 'ops@example.com' }, 'example.com', ACME],
    ['staging and TLS-ALPN', { 'acme-email': 'ops@example.com', 'acme-staging': true, 'acme-challenge': 'tls-alpn' }, 'example.com',
      { mode: 'acme', email: 'ops@example.com', staging: true, challenge: 'tls-alpn' }],
    ['--tls self-signed on a .localhost domain', { tls: 'self-signed' }, 'pesquel.localhost', SELF],
    ['--tls off', { tls: 'off' }, 'example.com', OFF],
  ];
  for (const [name, flags, domain, want] of ok) it(name, () => assert.deepEqual(tlsSettings(flags, domain), want));

  const bad: Array<[string, TlsFlags, string, RegExp]> = [
    ['an unknown mode', { tls: 'letsencrypt' }, 'example.com', /--tls must be 'off', 'acme' or 'self-signed'/],
    ['--tls acme without an address', { tls: 'acme' }, 'example.com', /needs --acme-email/],
    ['a malformed address', { 'acme-email': 'ops at example' }, 'example.com', /not an e-mail address/],
    ['ACME for *.localhost', { 'acme-email': 'ops@example.com' }, 'pesquel.localhost', /cannot issue certificates for pesquel\.localhost/],
    ['an unknown challenge', { 'acme-email': 'ops@example.com', 'acme-challenge': 'dns' }, 'example.com', /'http' or 'tls-alpn'/],
    ['--acme-staging with the local CA', { tls: 'self-signed', 'acme-staging': true }, 'pesquel.localhost', /--acme-staging .* --tls self-signed/],
    ['--acme-email with --tls off', { tls: 'off', 'acme-email': 'ops@example.com' }, 'example.com', /--acme-email .* --tls off/],
  ];
  for (const [name, flags, domain, message] of bad) it(`refuses ${name}`, () => assert.throws(() => tlsSettings(flags, domain), message));
});

describe('Traefik configuration, generated', () => {
  const gen = (tls: TlsSettings, httpsPort = 443, domain = 'example.com') => ({
    s: traefikStatic({ domain, tls, httpsPort }) as Json,
    d: traefikDynamic({ domain, tls, httpsPort }) as Json,
  });

  it('plain HTTP is exactly what deploy/traefik/*.yml ship (the stack without the CLI)', () => {
    const { s, d } = gen(OFF, 443, 'theddt.localhost');
    assert.deepEqual(s, parse(readDeployFile('traefik', 'traefik.yml')));
    const shipped = readDeployFile('traefik', 'dynamic.yml').replace(/\{\{ env "PESQUEL_DOMAIN" \}\}/g, 'theddt.localhost');
    assert.deepEqual(d, parse(shipped));
    assert.equal(s.certificatesResolvers, undefined);
    for (const r of ROUTERS) assert.equal(d.http.routers[r].tls, undefined, r);
  });

  it('ACME: HTTP redirects permanently to HTTPS, Let\'s Encrypt with HTTP-01 on :80, every router on TLS with HSTS', () => {
    const { s, d } = gen(ACME);
    assert.deepEqual(s.entryPoints, {
      web: { address: ':80', http: { redirections: { entryPoint: { to: 'websecure', scheme: 'https', permanent: true } } } },
      websecure: { address: ':443' },
    });
    assert.deepEqual(s.certificatesResolvers, {
      letsencrypt: { acme: { email: 'ops@example.com', storage: ACME_STORAGE, caServer: LETS_ENCRYPT, httpChallenge: { entryPoint: 'web' } } },
    });
    for (const r of ROUTERS) {
      assert.deepEqual(d.http.routers[r].entryPoints, ['websecure'], r);
      assert.deepEqual(d.http.routers[r].tls, { certResolver: 'letsencrypt' }, r);
      assert.ok(d.http.routers[r].middlewares.includes('hsts'), r);
    }
    assert.deepEqual(d.http.routers.dashboard.middlewares, ['dashboard-auth', 'hsts']);
    assert.equal(d.http.routers.api.rule, 'Host(`api.example.com`)');
    assert.deepEqual(d.http.middlewares.hsts, { headers: { stsSeconds: HSTS_SECONDS, stsIncludeSubdomains: true, stsPreload: false } });
    assert.equal(HSTS_SECONDS, 365 * 24 * 3600);
    assert.equal(d.tls, undefined, 'no static certificate: the resolver provides them');
  });

  it('ACME: staging CA and the TLS-ALPN challenge (no HTTP-01)', () => {
    const { s, d } = gen({ ...ACME, staging: true, challenge: 'tls-alpn' });
    // Its own resolver name: acme.json keeps staging's account and certificates apart from production's.
    assert.deepEqual(Object.keys(s.certificatesResolvers), ['letsencrypt-staging']);
    assert.deepEqual(s.certificatesResolvers['letsencrypt-staging'].acme, { email: 'ops@example.com', storage: ACME_STORAGE, caServer: LETS_ENCRYPT_STAGING, tlsChallenge: {} });
    for (const r of ROUTERS) assert.deepEqual(d.http.routers[r].tls, { certResolver: 'letsencrypt-staging' }, r);
  });

  it('another HTTPS host port: the redirect names the port, not the entry point (which listens on 443 inside)', () => {
    const { s } = gen(ACME, 8443);
    assert.equal(s.entryPoints.web.http.redirections.entryPoint.to, ':8443');
    assert.equal(s.entryPoints.websecure.address, ':443');
  });

  it('self-signed: TLS with the mounted certificate as the default, redirect, no resolver and no HSTS', () => {
    const { s, d } = gen(SELF, 443, 'pesquel.localhost');
    assert.equal(s.certificatesResolvers, undefined);
    assert.equal(s.entryPoints.web.http.redirections.entryPoint.scheme, 'https');
    for (const r of ROUTERS) {
      assert.deepEqual(d.http.routers[r].tls, {}, r);
      assert.ok(!(d.http.routers[r].middlewares ?? []).includes('hsts'), r);
    }
    assert.equal(d.http.middlewares.hsts, undefined);
    const cert = { certFile: SERVER_CERT, keyFile: SERVER_KEY };
    assert.deepEqual(d.tls, { certificates: [cert], stores: { default: { defaultCertificate: cert } } });
  });

  it('the other settings stay as shipped in every mode: dashboard, ping, file provider, basic auth', () => {
    const shipped = parse(readDeployFile('traefik', 'traefik.yml')) as Json;
    for (const tls of [ACME, SELF]) {
      const { s, d } = gen(tls);
      for (const key of ['providers', 'api', 'ping', 'log', 'accessLog', 'global']) assert.deepEqual(s[key], shipped[key], key);
      assert.deepEqual(d.http.middlewares['dashboard-auth'], { basicAuth: { usersFile: '/run/secrets/traefik_users', realm: 'PeSquel Traefik' } });
    }
  });

  it('written files read back as the same objects, are rewritten only when they change, hold no Go template', () => {
    const stack = makeStackDir();
    try {
      const dir = join(stack, 'traefik');
      const o = { domain: 'example.com', tls: ACME, httpsPort: 443 };
      assert.deepEqual(writeTraefikConfig(dir, o), [TRAEFIK_STATIC_FILE, TRAEFIK_DYNAMIC_FILE]);
      assert.deepEqual(parse(readFileSync(join(dir, TRAEFIK_STATIC_FILE), 'utf8')), traefikStatic(o));
      const dynamicText = readFileSync(join(dir, TRAEFIK_DYNAMIC_FILE), 'utf8');
      assert.deepEqual(parse(dynamicText), traefikDynamic(o));
      assert.doesNotMatch(dynamicText, /\{\{/, 'Traefik expands Go templates in dynamic files');
      assert.deepEqual(writeTraefikConfig(dir, o), []);
      assert.deepEqual(writeTraefikConfig(dir, { ...o, tls: { ...ACME, email: 'admin@example.com' } }), [TRAEFIK_STATIC_FILE]);
      assert.deepEqual(writeTraefikConfig(dir, { ...o, tls: { ...ACME, email: 'admin@example.com' }, domain: 'example.org' }), [TRAEFIK_DYNAMIC_FILE]);
    } finally {
      removeStackDir(stack);
    }
  });
});

describe('compose overlays', () => {
  const base = loadCompose();
  const overlay = (...parts: string[]) => parse(readFileSync(join(deployDir(), ...parts), 'utf8')) as {
    services: Record<string, Service>; volumes?: Record<string, { name?: string; external?: boolean }>;
  };
  /** `source:/target[:ro]`, where the source may hold `${VAR:-default}`. */
  const mount = (v: string): { source: string; target: string } => {
    const m = /^(.+):(\/[^:]*)(?::ro|:rw)?$/.exec(v);
    assert.ok(m?.[1] && m[2], v);
    return { source: m[1], target: m[2] };
  };
  const target = (v: string): string => mount(v).target;

  it('plain HTTP: the refresh cookie is not Secure (it would never come back over http://)', () => {
    assert.equal(base.services.pesquel?.environment?.PESQUEL_AUTH_COOKIE_SECURE, 'false');
    assert.deepEqual(tlsOverlayPaths(OFF), []);
  });

  it('HTTPS: replaces both Traefik files (same targets), publishes 443, makes the cookie Secure', () => {
    const https = overlay('docker-compose.https.yml');
    const baseTargets = (base.services.traefik?.volumes ?? []).map(target);
    const vols = https.services.traefik?.volumes ?? [];
    assert.deepEqual(vols.map(target).sort(), baseTargets.sort());
    assert.ok(vols.every((v) => v.startsWith('${PESQUEL_STACK_DIR:-..}/traefik/') && v.endsWith(':ro')));
    assert.deepEqual(https.services.traefik?.ports, ['${PESQUEL_STACK_HTTPS_PORT:-443}:443']);
    assert.equal(https.services.pesquel?.environment?.PESQUEL_AUTH_COOKIE_SECURE, 'true');
    for (const tls of [ACME, SELF]) assert.equal(tlsOverlayPaths(tls)[0], join(deployDir(), 'docker-compose.https.yml'));
  });

  it('ACME: acme.json lives in the external volume, mounted where the resolver stores it', () => {
    const acme = overlay('traefik', 'docker-compose.acme.yml');
    assert.deepEqual(acme.volumes, { certificates: { name: ACME_VOLUME, external: true } });
    assert.deepEqual(acme.services.traefik?.volumes, [`certificates:${ACME_STORAGE.replace(/\/acme\.json$/, '')}`]);
    assert.equal(tlsOverlayPaths(ACME)[1], join(deployDir(), 'traefik', 'docker-compose.acme.yml'));
  });

  it('self-signed: mounts the certificate and its key where the dynamic configuration names them, never the CA key', () => {
    const self = overlay('traefik', 'docker-compose.self-signed.yml');
    const vols = self.services.traefik?.volumes ?? [];
    assert.deepEqual(vols.map(target), [SERVER_CERT, SERVER_KEY]);
    assert.deepEqual(vols.map((v) => mount(v).source), [`\${PESQUEL_STACK_DIR:-..}/certificates/${LOCAL_FILES.cert}`, `\${PESQUEL_STACK_DIR:-..}/certificates/${LOCAL_FILES.key}`]);
    assert.ok(!vols.some((v) => v.includes(LOCAL_FILES.caKey)));
  });
});

const dockerCompose = spawnSync('docker-compose', ['version'], { encoding: 'utf8' });
describe('docker-compose config with the HTTPS overlays', { skip: dockerCompose.status !== 0 && 'docker-compose (v1, Debian package) is not installed' }, () => {
  for (const tls of [ACME, SELF]) {
    it(`accepts the ${tls.mode} stack and resolves Traefik's files to the stack folder`, () => {
      const stack = makeStackDir();
      try {
        const dir = join(stack, 'secrets');
        ensurePrivateDir(dir);
        ensurePrimarySecrets(dir, { domain: 'example.com' });
        writeDerivedFiles(dir, readPrimaryValues(dir));
        const files = [join(deployDir(), 'docker-compose.yml'), ...tlsOverlayPaths(tls)].flatMap((f) => ['-f', f]);
        const r = spawnSync('docker-compose', ['-p', 'pesquel', ...files, 'config'], {
          encoding: 'utf8',
          env: { ...process.env, PESQUEL_STACK_DIR: stack, PESQUEL_STACK_HTTPS_PORT: '8443' },
        });
        assert.equal(r.status, 0, r.stderr);
        const config = parse(r.stdout) as { services: Record<string, Json>; volumes?: Json };
        const traefik = config.services.traefik ?? {};
        assert.ok(traefik.volumes.includes(`${stack}/traefik/traefik.yml:/etc/traefik/traefik.yml:ro`), r.stdout);
        assert.ok(!traefik.volumes.some((v: string) => v.includes('deploy/traefik/')), 'the shipped files are replaced');
        assert.deepEqual(traefik.ports.map((p: Json) => `${p.published}:${p.target}`).sort(), ['80:80', '8443:443']);
        assert.equal(config.services.pesquel?.environment.PESQUEL_AUTH_COOKIE_SECURE, 'true');
        if (tls.mode === 'acme') assert.deepEqual(config.volumes?.certificates, { external: true, name: ACME_VOLUME });
        else assert.ok(traefik.volumes.includes(`${stack}/certificates/server.key:${SERVER_KEY}:ro`));
      } finally {
        removeStackDir(stack);
      }
    });
  }
});

describe('local CA (--tls self-signed)', () => {
  const domain = 'pesquel.localhost';
  const local = localCaSuite(domain);
  const file = (name: string): string => readFileSync(join(local.dir, name), 'utf8');

  /** Serves HTTPS with the leaf; the client trusts only the generated CA and asks for `servername`. */
  const serve = (servername: string, ca: string | undefined) => handshake(file(LOCAL_FILES.cert), file(LOCAL_FILES.key), { servername, ...(ca === undefined ? {} : { ca }) });

  it('keys are owner-only; the leaf names the domain and its subdomains, for servers only, signed by the CA', () => {
    if (posix) {
      for (const name of [LOCAL_FILES.caKey, LOCAL_FILES.key]) assert.equal(statSync(join(local.dir, name)).mode & 0o777, 0o600, name);
      assert.equal(statSync(local.dir).mode & 0o777, 0o700);
    }
    const ca = new X509Certificate(file(LOCAL_FILES.caCert));
    const leaf = new X509Certificate(file(LOCAL_FILES.cert));
    assert.equal(ca.ca, true);
    assert.equal(leaf.ca, false);
    assert.ok(leaf.checkIssued(ca) && leaf.verify(ca.publicKey));
    const names = [domain, `*.${domain}`, ...['api', 'admin', 'pgadmin', 'traefik'].map((s) => `${s}.${domain}`)];
    assert.equal(leaf.subjectAltName, names.map((n) => `DNS:${n}`).join(', '));
    assert.deepEqual(leaf.keyUsage, ['1.3.6.1.5.5.7.3.1']);
    assert.equal(readFileSync(join(local.dir, LOCAL_FILES.gitignore), 'utf8').trim().split('\n').pop(), '*');
  });

  it('Node\'s TLS client verifies https://api.<domain> against the generated CA alone', async () => {
    const r = await serve(`api.${domain}`, file(LOCAL_FILES.caCert));
    assert.equal(r.error, undefined);
    assert.equal(r.authorized, true);
    assert.match(r.body ?? '', /^HTTP\/1\.1 200 OK[\s\S]*hello over TLS$/);
  });

  it('and refuses another name, or the same name without the CA', async () => {
    const other = await serve('api.example.com', file(LOCAL_FILES.caCert));
    assert.deepEqual([other.authorized, other.error], [false, 'ERR_TLS_CERT_ALTNAME_INVALID']);
    const untrusted = await serve(`api.${domain}`, undefined);
    assert.equal(untrusted.authorized, false);
    assert.match(untrusted.error ?? '', /UNABLE_TO_GET_ISSUER_CERT_LOCALLY|SELF_SIGNED|UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
  });

  it('running again keeps every file; near expiry re-issues only the leaf, from the same CA', async () => {
    const names = [LOCAL_FILES.caCert, LOCAL_FILES.caKey, LOCAL_FILES.cert, LOCAL_FILES.key];
    const snapshot = () => names.map((n) => [file(n), statSync(join(local.dir, n)).mtimeMs]);
    const before = snapshot();
    assert.deepEqual(await ensureLocalCertificates(local.dir, domain), { ca: 'kept', server: 'kept', constrained: true });
    assert.deepEqual(snapshot(), before);

    const soon = new Date(Date.now() + 810 * 86_400_000);
    assert.deepEqual(await ensureLocalCertificates(local.dir, domain, soon), { ca: 'kept', server: 'renewed', constrained: true });
    assert.equal(file(LOCAL_FILES.caCert), before[0]?.[0]);
    assert.equal(file(LOCAL_FILES.caKey), before[1]?.[0]);
    assert.notEqual(file(LOCAL_FILES.key), before[3]?.[0], 'a new key for the new certificate');
    // Another domain (outside the CA's name constraints): test/cli/tls-name-constraints.test.ts.
  });
});

describe('setup and teardown with HTTPS', { skip: !posix && 'the docker stand-in is a POSIX executable' }, () => {
  let fake: FakeDocker;
  let stack: string;
  before(() => { fake = new FakeDocker(); stack = makeStackDir(); });
  after(() => { fake.dispose(); removeStackDir(stack); });
  const composeCall = () => fake.calls().find((c) => c.argv.includes('up'));

  it('--tls self-signed: layers the overlays, passes the HTTPS port, prints https URLs and how to trust the CA', async () => {
    const r = await runCli(['setup', '--no-pull', '--tls', 'self-signed'], { cwd: stack, path: [fake.dir] });
    assert.equal(r.code, 0, r.stderr);
    const up = composeCall();
    assert.ok(up);
    const files = up.argv.filter((_, i) => up.argv[i - 1] === '--file');
    assert.deepEqual(files.slice(1), tlsOverlayPaths(SELF));
    assert.equal(up.env.PESQUEL_STACK_HTTPS_PORT, '443');
    assert.equal(up.env.PESQUEL_STACK_API_URL, 'https://api.pesquel.localhost');
    assert.match(r.stdout, /https:\/\/api\.pesquel\.localhost\//);
    assert.match(r.stdout, /Local CA created, certificate for pesquel\.localhost and \*\.pesquel\.localhost created/);
    assert.ok(r.stdout.includes(join(certificatesDir(stack), LOCAL_FILES.caCert)), 'names the CA file to trust');
    assert.ok(existsSync(join(stack, 'traefik', TRAEFIK_STATIC_FILE)));
  });

  it('a second run keeps the certificates and restarts nothing', async () => {
    const cert = readFileSync(join(certificatesDir(stack), LOCAL_FILES.cert), 'utf8');
    fake.script([{ match: '^network inspect', responses: [{ stdout: 'web\n' }] }]);
    fake.clear();
    const r = await runCli(['setup', '--no-pull', '--tls', 'self-signed'], { cwd: stack, path: [fake.dir] });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Local CA kept, certificate .* kept/);
    assert.doesNotMatch(r.stdout, /Browsers warn/);
    assert.equal(readFileSync(join(certificatesDir(stack), LOCAL_FILES.cert), 'utf8'), cert);
    assert.ok(!fake.commands().some((c) => c.includes(' restart')));
  });

  it('--acme-email: creates the certificate volume once, with the ACME overlay', async () => {
    fake.script([{ match: '^volume inspect', responses: [{ code: 1, stderr: 'Error: no such volume\n' }, { stdout: `${ACME_VOLUME}\n` }] }]);
    fake.clear();
    const args = ['setup', '--no-pull', '--domain', 'example.com', '--acme-email', 'ops@example.com', '--acme-staging'];
    const r = await runCli(args, { cwd: stack, path: [fake.dir] });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fake.commands().filter((c) => c.startsWith('volume')), [`volume inspect --format {{.Name}} ${ACME_VOLUME}`, `volume create ${ACME_VOLUME}`]);
    assert.match(r.stdout, /staging CA/);
    const up = composeCall();
    assert.deepEqual(up?.argv.filter((_, i) => up.argv[i - 1] === '--file').slice(1), tlsOverlayPaths({ ...ACME, staging: true }));
    const staticConf = parse(readFileSync(join(stack, 'traefik', TRAEFIK_STATIC_FILE), 'utf8')) as Json;
    assert.equal(staticConf.certificatesResolvers['letsencrypt-staging'].acme.caServer, LETS_ENCRYPT_STAGING);
    fake.clear();
    assert.equal((await runCli(args, { cwd: stack, path: [fake.dir] })).code, 0);
    assert.deepEqual(fake.commands().filter((c) => c.startsWith('volume')), [`volume inspect --format {{.Name}} ${ACME_VOLUME}`]);
  });

  it('teardown --yes keeps the certificates; --certificates deletes the volume and the local CA', async () => {
    fake.script([{ match: '^volume inspect', responses: [{ stdout: `${ACME_VOLUME}\n` }] }]);
    fake.clear();
    const kept = await runCli(['teardown', '--yes'], { cwd: stack, path: [fake.dir] });
    assert.equal(kept.code, 0, kept.stderr);
    assert.ok(!fake.commands().some((c) => c.startsWith('volume')));
    assert.ok(existsSync(join(certificatesDir(stack), LOCAL_FILES.caKey)));
    fake.clear();
    const gone = await runCli(['teardown', '--certificates'], { cwd: stack, path: [fake.dir], stdin: '' });
    assert.equal(gone.code, 0, gone.stderr);
    assert.deepEqual(fake.commands().filter((c) => c.startsWith('volume')), [`volume inspect --format {{.Name}} ${ACME_VOLUME}`, `volume rm ${ACME_VOLUME}`]);
    assert.equal(existsSync(certificatesDir(stack)), false);
  });
});
