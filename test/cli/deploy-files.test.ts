// Checks the files around the compose file: Traefik's routes and dashboard protection, pgBouncer's
// pool settings and version guard, the Dockerfiles, .dockerignore, and the shell scripts (syntax,
// and the pgBouncer healthcheck and version check run for real with stand-ins).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { deployDir } from '../../src/cli/stack/paths.js';
import { loadCompose, readDeployFile, secretNames } from './helpers/compose-model.js';
import { which } from './helpers/which.js';

const posix = process.platform !== 'win32';
const compose = loadCompose();

type Router = { rule: string; service: string; entryPoints: string[]; middlewares?: string[] };
type Dynamic = {
  http: {
    routers: Record<string, Router>;
    middlewares: Record<string, { basicAuth?: { usersFile: string } }>;
    services: Record<string, { loadBalancer: { servers: Array<{ url: string }> } }>;
  };
};

function dynamicFor(domain: string): Dynamic {
  // What Traefik does first: expand the Go templates, then read YAML.
  const text = readDeployFile('traefik', 'dynamic.yml').replace(/\{\{ env "PESQUEL_DOMAIN" \}\}/g, domain);
  assert.doesNotMatch(text, /\{\{/, 'only the PESQUEL_DOMAIN template is used');
  return parse(text) as Dynamic;
}

function ini(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header?.[1]) { section = header[1]; out[section] = {}; continue; }
    const eq = line.indexOf('=');
    (out[section] ??= {})[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return out;
}

describe('Traefik configuration', () => {
  it('routes api., admin., pgadmin. and traefik. of the domain to the right services', () => {
    const d = dynamicFor('theddt.localhost');
    const byHost = Object.fromEntries(Object.values(d.http.routers).map((r) => [r.rule, r.service]));
    assert.deepEqual(byHost, {
      'Host(`api.theddt.localhost`)': 'pesquel-api',
      'Host(`admin.theddt.localhost`)': 'pesquel-admin',
      'Host(`pgadmin.theddt.localhost`)': 'pgadmin',
      'Host(`traefik.theddt.localhost`)': 'api@internal',
    });
    const url = (s: string): string | undefined => d.http.services[s]?.loadBalancer.servers[0]?.url;
    assert.equal(url('pesquel-api'), 'http://pesquel:3000');
    assert.equal(url('pesquel-admin'), 'http://pesquel:3002');
    assert.equal(url('pgadmin'), 'http://pgadmin:80');
    for (const r of Object.values(d.http.routers)) assert.deepEqual(r.entryPoints, ['web']);
  });

  it('protects the dashboard with basic auth from the traefik_users secret, and nothing else serves it', () => {
    const d = dynamicFor('pesquel.localhost');
    const dashboards = Object.values(d.http.routers).filter((r) => r.service === 'api@internal');
    assert.equal(dashboards.length, 1);
    const mw = dashboards[0]?.middlewares ?? [];
    assert.equal(mw.length, 1);
    assert.equal(d.http.middlewares[mw[0] ?? '']?.basicAuth?.usersFile, '/run/secrets/traefik_users');
    assert.ok(secretNames(compose.services.traefik ?? {}).includes('traefik_users'));
    const staticConf = parse(readDeployFile('traefik', 'traefik.yml')) as Record<string, Record<string, unknown>>;
    assert.equal(staticConf.api?.insecure, false);
    assert.deepEqual(staticConf.ping, {});
    assert.equal((staticConf.entryPoints?.web as { address: string }).address, ':80');
    assert.equal(staticConf.providers?.docker, undefined, 'no Docker socket provider');
  });

  it('the compose file mounts the configs where traefik.yml looks and passes the domain', () => {
    const staticConf = parse(readDeployFile('traefik', 'traefik.yml')) as { providers: { file: { directory: string } } };
    const vols = compose.services.traefik?.volumes ?? [];
    assert.ok(vols.includes('./traefik/traefik.yml:/etc/traefik/traefik.yml:ro'));
    assert.ok(vols.some((v) => v.startsWith('./traefik/dynamic.yml:') && v.includes(`${staticConf.providers.file.directory}/`)));
    assert.equal(compose.services.traefik?.environment?.PESQUEL_DOMAIN, '${PESQUEL_STACK_DOMAIN:-pesquel.localhost}');
  });
});

describe('pgBouncer image and configuration', () => {
  const conf = ini(readDeployFile('pgbouncer', 'pgbouncer.ini'));
  const p = conf.pgbouncer ?? {};

  it('pools transactions with SCRAM, prepared statements and the seed\'s pool sizes', () => {
    assert.equal(p.pool_mode, 'transaction');
    assert.equal(p.auth_type, 'scram-sha-256');
    assert.ok(Number(p.max_prepared_statements) > 0);
    assert.deepEqual([p.default_pool_size, p.max_client_conn, p.reserve_pool_size], ['20', '1000', '5']);
    assert.equal(p.listen_port, '6432');
    assert.equal(conf.databases?.['*'], 'host=postgres port=5432');
    assert.equal(p.server_login_retry, '1', 'back within a second after a PostgreSQL restart, not 15 s');
  });

  it('reads the userlist where the entrypoint copies it', () => {
    assert.match(readDeployFile('pgbouncer', 'entrypoint.sh'), new RegExp(`dst=${p.auth_file}\\n`));
    assert.ok((compose.services.pgbouncer?.volumes ?? []).includes('./pgbouncer/pgbouncer.ini:/etc/pgbouncer/pgbouncer.ini:ro'));
  });

  it('refuses pgBouncer older than 1.25.2 at build time and stops with SIGINT', () => {
    const dockerfile = readDeployFile('pgbouncer', 'Dockerfile');
    assert.match(dockerfile, /^ARG PGBOUNCER_MIN_VERSION=1\.25\.2$/m);
    assert.match(dockerfile, /RUN sh \/usr\/local\/bin\/pgbouncer-version-check "\$PGBOUNCER_MIN_VERSION"/);
    assert.match(dockerfile, /^STOPSIGNAL SIGINT$/m);
    assert.match(dockerfile, /^HEALTHCHECK /m);
    assert.equal((compose.services.pgbouncer as { stop_signal?: string }).stop_signal, 'SIGINT');
  });

  it('version-check.sh accepts 1.25.2 and later, rejects earlier', { skip: !posix }, () => {
    const bin = mkdtempSync(join(tmpdir(), 'pesquel-vcheck-'));
    try {
      writeFileSync(join(bin, 'su-exec'), '#!/bin/sh\nshift\nexec "$@"\n');
      chmodSync(join(bin, 'su-exec'), 0o755);
      for (const [version, ok] of [['1.25.2', true], ['1.25.10', true], ['1.26.0', true], ['2.0.0', true], ['1.25.1', false], ['1.24.1', false], ['1.18.0', false]] as const) {
        writeFileSync(join(bin, 'pgbouncer'), `#!/bin/sh\necho "PgBouncer ${version}"\necho "libevent 2.1.12-stable"\n`);
        chmodSync(join(bin, 'pgbouncer'), 0o755);
        const r = spawnSync('sh', [join(deployDir(), 'pgbouncer', 'version-check.sh'), '1.25.2'], {
          encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` },
        });
        assert.equal(r.status === 0, ok, `${version}: ${r.stdout}${r.stderr}`);
        if (!ok) assert.match(r.stderr, /older than 1\.25\.2/);
      }
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  // Alpine's BusyBox nc is what the image runs; another nc works too (slower to give up).
  const nc = which('busybox') ?? which('nc');
  it('healthcheck.sh sends an SSLRequest and wants N or S back', { skip: (!posix || !nc) && 'needs nc (or busybox)' }, async () => {
    const bin = mkdtempSync(join(tmpdir(), 'pesquel-nc-'));
    if (nc?.endsWith('busybox')) symlinkSync(nc, join(bin, 'nc'));
    let received = Buffer.alloc(0);
    let answer = 'N';
    const server = createServer((sock) => {
      sock.on('data', (d) => {
        received = Buffer.concat([received, d]);
        if (received.length >= 8) sock.end(answer);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const check = (p: number) => new Promise<number>((resolve) => {
      const child = spawnAsync('sh', [join(deployDir(), 'pgbouncer', 'healthcheck.sh')], { PGBOUNCER_PORT: String(p), PATH: `${bin}:${process.env.PATH ?? ''}` });
      child.then(resolve);
    });
    try {
      assert.equal(await check(port), 0);
      assert.deepEqual([...received], [0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);
      answer = 'E';
      assert.equal(await check(port), 1);
      server.close();
      assert.equal(await check(port), 1, 'nothing listening');
    } finally {
      server.close();
      rmSync(bin, { recursive: true, force: true });
    }
  });
});

function spawnAsync(cmd: string, args: string[], env: Record<string, string>): Promise<number> {
  return import('node:child_process').then(({ spawn }) => new Promise((resolve) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: 'ignore' });
    child.on('close', (code) => resolve(code ?? 1));
  }));
}

describe('PeSquel Dockerfile', () => {
  const file = readDeployFile('Dockerfile');

  it('is multi-stage: installs, builds and prunes in one stage, runs as a non-root user in a second', () => {
    assert.equal(file.match(/^FROM /gm)?.length, 2);
    assert.match(file, /^FROM node:\$\{NODE_VERSION\}-alpine AS build$/m);
    assert.match(file, /npm ci\b/);
    assert.match(file, /npm run build\b/);
    assert.match(file, /npm prune --omit=dev\b/);
    const deps = (JSON.parse(readFileSync(join(deployDir(), '..', 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies;
    assert.ok(deps['@node-rs/argon2'] && !deps.argon2, 'password hashing from a prebuilt binary (musl too): nothing to compile');
    assert.doesNotMatch(file, /rebuild argon2/);
    assert.match(file, /COPY --from=build /);
    const user = /^USER (\S+)$/m.exec(file)?.[1];
    assert.ok(user && user !== 'root' && user !== '0', 'runs as a non-root user');
    assert.match(file, /CMD \["node", "bin\/pesquel\.js", "start"\]/);
  });

  it('copies every workspace\'s package.json before `npm ci` (the lockfile needs them)', () => {
    const pkg = JSON.parse(readFileSync(join(deployDir(), '..', 'package.json'), 'utf8')) as { workspaces?: string[] };
    for (const ws of pkg.workspaces ?? []) assert.match(file, new RegExp(`^COPY ${ws}/package\\.json ${ws}/$`, 'm'), ws);
    assert.ok(file.indexOf('COPY package.json package-lock.json ./') < file.indexOf('RUN npm ci'));
    assert.ok(file.indexOf('RUN npm ci') < file.indexOf('COPY . .'));
  });

  it('copies admin-ui/dist when present and checks /ready on the admin port', () => {
    assert.match(file, /if \[ -d admin-ui\/dist \]; then cp -R admin-ui\/dist/);
    assert.match(file, /HEALTHCHECK[\s\S]*http:\/\/127\.0\.0\.1:3001\/ready/);
    assert.match(file, /PESQUEL_SERVER_HOST=0\.0\.0\.0/);
  });

  it('.dockerignore keeps secrets, data, git and node_modules out of the build context', () => {
    const ignored = readFileSync(join(deployDir(), '..', '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    for (const p of ['.git', '**/node_modules', 'secrets', 'postgres-data', 'pgadmin-data', '.env', 'dist']) assert.ok(ignored.includes(p), p);
  });
});

describe('shell scripts', { skip: !posix }, () => {
  const scripts = [
    ['deploy', 'postgres', 'entrypoint.sh'], ['deploy', 'postgres', '10-pesquel-init.sh'], ['deploy', 'postgres', '99-pesquel-passwords.sh'],
    ['deploy', 'pgbouncer', 'entrypoint.sh'], ['deploy', 'pgbouncer', 'healthcheck.sh'], ['deploy', 'pgbouncer', 'version-check.sh'],
    ['setup.sh'], ['teardown.sh'],
  ];
  for (const parts of scripts) {
    it(`${parts.join('/')} parses`, () => {
      const path = join(deployDir(), '..', ...parts);
      const shell = parts[0] === 'deploy' ? 'sh' : 'bash';
      const r = spawnSync(shell, ['-n', path], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
    });
  }

  it('the wrappers hand every argument to the CLI', () => {
    for (const cmd of ['setup', 'teardown']) {
      assert.match(readFileSync(join(deployDir(), '..', `${cmd}.sh`), 'utf8'), new RegExp(`exec node bin/pesquel\\.js ${cmd} "\\$@"\\n`));
    }
  });
});
