// Checks deploy/docker-compose.yml offline: healthchecks, restart and logging on every service,
// secrets produced by setup and mounted only as files, dependencies on health as the seed lists
// them, consistent networks; and validates it with `docker-compose config` when that is installed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SERVICE_SECRET_FILES } from '../../src/cli/stack/consumers.js';
import { SETUP_FILES } from '../../src/cli/stack/remove.js';
import { deployDir } from '../../src/cli/stack/paths.js';
import { writeDerivedFiles } from '../../src/cli/stack/derived.js';
import { ensurePrivateDir } from '../../src/cli/stack/files.js';
import { ensurePrimarySecrets, readPrimaryValues } from '../../src/cli/stack/secrets.js';
import { loadCompose, networkNames, readDeployFile, secretNames } from './helpers/compose-model.js';
import { makeStackDir, removeStackDir, secretValues } from './helpers/stack-dir.js';

const compose = loadCompose();
const services = Object.entries(compose.services);
const SECRET_FILE = /^\$\{PESQUEL_STACK_DIR:-\.\.\}\/secrets\/([A-Za-z0-9_.-]+)$/;

function secretFile(name: string): string {
  const m = SECRET_FILE.exec(compose.secrets[name]?.file ?? '');
  assert.ok(m?.[1], `secret ${name} is a file under \${PESQUEL_STACK_DIR}/secrets`);
  return m[1];
}

describe('deploy/docker-compose.yml', () => {
  it('has the five services of the stack, pgAdmin behind a profile', () => {
    assert.deepEqual(Object.keys(compose.services).sort(), ['pesquel', 'pgadmin', 'pgbouncer', 'postgres', 'traefik']);
    assert.deepEqual(compose.services.pgadmin?.profiles, ['pgadmin']);
    for (const [name, s] of services) if (name !== 'pgadmin') assert.equal(s.profiles, undefined, name);
    assert.equal(compose.services.postgres?.image, 'postgres:17-alpine');
    assert.match(compose.services.traefik?.image ?? '', /^traefik:v3\./);
  });

  for (const [name, s] of services) {
    it(`${name}: healthcheck, restart policy, rotated logs`, () => {
      assert.ok(s.healthcheck && !s.healthcheck.disable, 'has a healthcheck');
      const test = s.healthcheck.test;
      assert.ok(Array.isArray(test) && (test[0] === 'CMD' || test[0] === 'CMD-SHELL') && test.length > 1, 'healthcheck test');
      assert.equal(s.restart, 'unless-stopped');
      assert.equal(s.logging?.driver, 'json-file');
      assert.ok(s.logging.options?.['max-size'] && s.logging.options['max-file'], 'log rotation');
    });

    it(`${name}: no secret value in the environment, only *_FILE paths under /run/secrets`, () => {
      for (const [key, value] of Object.entries(s.environment ?? {})) {
        assert.doesNotMatch(String(value), /:\/\/[^/\s]*:[^/\s]*@/, `${key} holds no credentials in a URL`);
        if (/(PASSWORD|SECRET|TOKEN|KEY|EMAIL|DB_URI|LISTEN_URI)(_FILE)?$/.test(key)) {
          assert.match(key, /_FILE$/, `${key} must point to a file`);
          assert.match(String(value), /^\/run\/secrets\/[A-Za-z_${}:-]+$/, `${key} is a /run/secrets path`);
          const secret = String(value).replace('/run/secrets/', '');
          if (!secret.includes('$')) assert.ok(secretNames(s).includes(secret), `${key}: ${secret} is mounted`);
        }
      }
    });
  }

  it('every secret a service mounts is defined, and every secret file is one that setup writes', () => {
    for (const [name, s] of services) {
      for (const secret of secretNames(s)) assert.ok(compose.secrets[secret], `${name} uses undefined secret ${secret}`);
    }
    for (const secret of Object.keys(compose.secrets)) assert.ok(SETUP_FILES.includes(secretFile(secret)), `${secret} file is written by setup`);
  });

  it('the switch PESQUEL_STACK_API_DB picks one of the two URI secrets; LISTEN always goes direct', () => {
    const env = compose.services.pesquel?.environment ?? {};
    assert.equal(env.PESQUEL_DB_URI_FILE, '/run/secrets/db_uri_${PESQUEL_STACK_API_DB:-postgres}');
    assert.equal(env.PESQUEL_DB_LISTEN_URI_FILE, '/run/secrets/db_uri_postgres');
    assert.equal(secretFile('db_uri_pgbouncer'), 'pesquel_db_uri.txt');
    assert.equal(secretFile('db_uri_postgres'), 'pesquel_db_listen_uri.txt');
    for (const route of ['pgbouncer', 'postgres']) assert.ok(secretNames(compose.services.pesquel ?? {}).includes(`db_uri_${route}`));
  });

  it('the CLI knows which service reads which secret file (restarts after a change)', () => {
    const actual = Object.fromEntries(services.map(([name, s]) => [name, secretNames(s).map(secretFile).sort()]));
    const expected = Object.fromEntries(Object.entries(SERVICE_SECRET_FILES).map(([k, v]) => [k, [...v].sort()]));
    assert.deepEqual(actual, expected);
  });

  it('depends on health as the seed lists them', () => {
    const deps = (n: string): Record<string, string> =>
      Object.fromEntries(Object.entries(compose.services[n]?.depends_on ?? {}).map(([k, v]) => [k, v.condition]));
    assert.deepEqual(deps('pgbouncer'), { postgres: 'service_healthy' });
    assert.deepEqual(deps('pesquel'), { postgres: 'service_healthy', pgbouncer: 'service_healthy' });
    assert.deepEqual(deps('pgadmin'), { postgres: 'service_healthy' });
    assert.deepEqual(deps('postgres'), {});
  });

  it('networks are declared, the shared one external, PostgreSQL off it', () => {
    for (const [name, s] of services) {
      for (const n of networkNames(s)) assert.ok(n in compose.networks, `${name} uses undeclared network ${n}`);
    }
    assert.equal(compose.networks.web?.external, true);
    assert.equal(compose.networks.web?.name, '${PESQUEL_STACK_NETWORK:-web}');
    assert.deepEqual(networkNames(compose.services.postgres ?? {}), ['backend']);
    assert.deepEqual(networkNames(compose.services.traefik ?? {}), ['web']);
    for (const n of ['pesquel', 'pgbouncer', 'pgadmin']) assert.deepEqual(networkNames(compose.services[n] ?? {}).sort(), ['backend', 'web']);
  });

  it('mounts the bundled init SQL folder and runs it, then the password hook; mounts only files that exist', () => {
    const volumes = compose.services.postgres?.volumes ?? [];
    assert.ok(volumes.includes('../sql:/pesquel/sql:ro'), 'sql/ is mounted whole, so new files need no change here');
    assert.match(readDeployFile('postgres', '10-pesquel-init.sh'), /\$\{PESQUEL_SQL_DIR:-\/pesquel\/sql\}/);
    const hooks = volumes.map((v) => v.split(':')[1] ?? '').filter((t) => t.startsWith('/docker-entrypoint-initdb.d/')).map((t) => t.split('/').pop() ?? '');
    assert.deepEqual(hooks, ['10-pesquel-init.sh', '99-pesquel-passwords.sh']);
    for (const [name, s] of services) {
      for (const v of s.volumes ?? []) {
        const src = v.split(':')[0] ?? '';
        if (src.startsWith('.')) assert.ok(existsSync(join(deployDir(), src)), `${name}: ${src} exists`);
        if (src.startsWith('.')) assert.match(v, /:ro$/, `${name}: ${src} is read-only`);
      }
    }
  });

  it('builds PeSquel from the repository root and pgBouncer from deploy/pgbouncer', () => {
    assert.deepEqual(compose.services.pesquel?.build, { context: '..', dockerfile: 'deploy/Dockerfile' });
    assert.deepEqual(compose.services.pgbouncer?.build, { context: './pgbouncer' });
    assert.ok(existsSync(join(deployDir(), 'Dockerfile')));
    assert.ok(existsSync(join(deployDir(), 'pgbouncer', 'Dockerfile')));
  });

  it('publishes only Traefik on all interfaces, PostgreSQL on loopback', () => {
    assert.deepEqual(compose.services.traefik?.ports, ['${PESQUEL_STACK_HTTP_PORT:-80}:80']);
    assert.deepEqual(compose.services.postgres?.ports, ['127.0.0.1:${PESQUEL_STACK_POSTGRES_PORT:-5432}:5432']);
    for (const n of ['pesquel', 'pgbouncer', 'pgadmin']) assert.equal(compose.services[n]?.ports, undefined, n);
  });
});

const dockerCompose = spawnSync('docker-compose', ['version'], { encoding: 'utf8' });
describe('docker-compose config', { skip: dockerCompose.status !== 0 && 'docker-compose (v1, Debian package) is not installed' }, () => {
  it('accepts the file with the secrets setup writes, for both API routes, and resolves no secret into it', () => {
    const stack = makeStackDir();
    try {
      const dir = join(stack, 'secrets');
      ensurePrivateDir(dir);
      ensurePrimarySecrets(dir, { domain: 'pesquel.localhost' });
      writeDerivedFiles(dir, readPrimaryValues(dir));
      for (const apiDb of ['pgbouncer', 'postgres']) {
        const r = spawnSync('docker-compose', ['-p', 'pesquel', '-f', join(deployDir(), 'docker-compose.yml'), '--profile', 'pgadmin', 'config'], {
          encoding: 'utf8',
          env: { ...process.env, PESQUEL_STACK_DIR: stack, PESQUEL_STACK_API_DB: apiDb },
        });
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stdout, new RegExp(`PESQUEL_DB_URI_FILE: /run/secrets/db_uri_${apiDb}`));
        assert.ok(r.stdout.includes(`file: ${dir}/pesquel_db_uri.txt`));
        for (const s of secretValues(stack)) assert.ok(!r.stdout.includes(s), 'no secret value in the resolved config');
      }
    } finally {
      removeStackDir(stack);
    }
  });
});
