// The pgBackRest overlay's files: the compose files validate offline with the main one (docker-compose v1,
// installed by .ci/run), the services share what pgBackRest needs, the image has every script the
// compose files name, and pitr-env.sh turns the secrets into the right PGBACKREST_* settings.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { deployDir } from '../../src/cli/stack/paths.js';

const DEPLOY = deployDir();
const SECRETS = ['postgres_user', 'postgres_password', 'postgres_db', 'authenticator_scram', 'pgbouncer_userlist', 'pesquel_db_uri',
  'pesquel_db_listen_uri', 'pesquel_admin_db_uri', 'jwt_secret', 'pesquel_admin_password', 'traefik_users', 'pgadmin_email',
  'pgadmin_password', 'pitr_cipher_pass', 'pitr_s3_endpoint', 'pitr_s3_region', 'pitr_s3_key', 'pitr_s3_key_secret'];

type Service = { image?: string; entrypoint?: string[]; volumes?: string[]; secrets?: (string | { source: string })[]; healthcheck?: unknown; depends_on?: unknown };

function composeConfig(files: string[]): { services: Record<string, Service> } {
  const stack = mkdtempSync(join(tmpdir(), 'pesquel-pitr-compose-'));
  try {
    spawnSync('mkdir', ['-p', join(stack, 'secrets')]);
    for (const s of SECRETS) writeFileSync(join(stack, 'secrets', `${s}.txt`), 'x\n');
    writeFileSync(join(stack, 'secrets', 'pgadmin_servers.json'), '{}\n');
    const r = spawnSync('docker-compose', ['-p', 'pesquel', ...files.flatMap((f) => ['-f', join(DEPLOY, f)]), 'config'],
      { encoding: 'utf8', env: { ...process.env, PESQUEL_STACK_DIR: stack, PESQUEL_STACK_PITR_REPO: 's3', PESQUEL_STACK_PITR_S3_BUCKET: 'b-1' } });
    assert.equal(r.error, undefined, 'docker-compose (v1) must be installed: .ci/run installs it');
    assert.equal(r.status, 0, r.stderr);
    return parse(r.stdout) as { services: Record<string, Service> };
  } finally {
    rmSync(stack, { recursive: true, force: true });
  }
}

const secretNames = (s: Service) => (s.secrets ?? []).map((x) => (typeof x === 'string' ? x : x.source)).sort();
const mountOf = (s: Service, target: string) => (s.volumes ?? []).find((v) => v.split(':')[1] === target)?.split(':')[0];

describe('deploy/docker-compose.pitr.yml', () => {
  it('validates with the main file and the S3 overlay; postgres and pgbackrest share data, repository and socket', () => {
    const m = composeConfig(['docker-compose.yml', 'docker-compose.pitr.yml', 'pgbackrest/docker-compose.pitr-s3.yml']);
    const pg = m.services.postgres!;
    const br = m.services.pgbackrest!;
    assert.equal(pg.image, 'pesquel-postgres-pgbackrest:local');
    assert.equal(br.image, pg.image);
    for (const target of ['/var/lib/postgresql/data', '/var/lib/pgbackrest', '/var/run/postgresql']) {
      assert.ok(mountOf(pg, target), `postgres mounts ${target}`);
      assert.equal(mountOf(br, target), mountOf(pg, target), target);
    }
    assert.deepEqual(secretNames(br), ['pitr_cipher_pass', 'pitr_s3_endpoint', 'pitr_s3_key', 'pitr_s3_key_secret', 'pitr_s3_region', 'postgres_user']);
    for (const s of ['pitr_cipher_pass', 'pitr_s3_key', 'postgres_user']) assert.ok(secretNames(pg).includes(s), s);
    assert.ok(br.healthcheck && br.depends_on);
  });

  it('validates without the S3 overlay (no S3 secrets needed)', () => {
    const m = composeConfig(['docker-compose.yml', 'docker-compose.pitr.yml']);
    assert.ok(!secretNames(m.services.pgbackrest!).some((s) => s.startsWith('pitr_s3')));
  });

  it('the image holds every script the compose file and the CLI run', () => {
    const docker = readFileSync(join(DEPLOY, 'pgbackrest', 'Dockerfile'), 'utf8');
    const copied = [...docker.matchAll(/^COPY (\S+) (\S+)$/gm)].map((x) => x[2]);
    const overlay = readFileSync(join(DEPLOY, 'docker-compose.pitr.yml'), 'utf8');
    for (const path of [...overlay.matchAll(/"(\/usr\/local\/bin\/pesquel-pitr-[\w-]+\.sh)"/g)].map((x) => x[1])) assert.ok(copied.includes(path), path);
    assert.ok(copied.includes('/usr/local/bin/pesquel-pgbackrest'), 'used by setup and restore');
    assert.match(docker, /^FROM postgres:17-alpine$/m, 'the same base as the main stack: same collations, same uid');
    for (const f of ['pitr-env.sh', 'postgres-entrypoint.sh', 'pesquel-pgbackrest.sh', 'scheduler.sh']) {
      const r = spawnSync('sh', ['-n', join(DEPLOY, 'pgbackrest', f)], { encoding: 'utf8' });
      assert.equal(r.status, 0, `${f}: ${r.stderr}`);
    }
  });

  it('pitr-env.sh exports the repository settings from the secrets and prints none of them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pesquel-pitr-env-'));
    try {
      const files = { pitr_cipher_pass: 'cipher-value-1', postgres_user: 'pesquel', pitr_s3_endpoint: 'https://minio.internal:9000/', pitr_s3_region: 'eu-west-1', pitr_s3_key: 'KEYID1', pitr_s3_key_secret: 'keysecret-value-1' };
      for (const [k, v] of Object.entries(files)) writeFileSync(join(dir, k), `${v}\r\n`);
      const run = (env: Record<string, string>) => spawnSync('sh', ['-c', `set -eu; . "${join(DEPLOY, 'pgbackrest', 'pitr-env.sh')}"; env | grep '^PGBACKREST_' | sort`],
        { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', PESQUEL_PITR_SECRETS_DIR: dir, ...env } });
      const posix = run({});
      assert.equal(posix.status, 0, posix.stderr);
      assert.match(posix.stdout, /^PGBACKREST_REPO1_TYPE=posix$/m);
      assert.match(posix.stdout, /^PGBACKREST_REPO1_CIPHER_PASS=cipher-value-1$/m);
      assert.match(posix.stdout, /^PGBACKREST_REPO1_RETENTION_FULL=2$/m);
      assert.doesNotMatch(posix.stdout, /S3/);
      const s3 = run({ PESQUEL_PITR_REPO: 's3', PESQUEL_PITR_S3_BUCKET: 'backups', PESQUEL_PITR_S3_PATH: '/prod' });
      assert.equal(s3.status, 0, s3.stderr);
      for (const line of ['PGBACKREST_REPO1_TYPE=s3', 'PGBACKREST_REPO1_S3_BUCKET=backups', 'PGBACKREST_REPO1_PATH=/prod', 'PGBACKREST_REPO1_S3_ENDPOINT=minio.internal',
        'PGBACKREST_REPO1_STORAGE_PORT=9000', 'PGBACKREST_REPO1_S3_URI_STYLE=path', 'PGBACKREST_REPO1_S3_KEY_SECRET=keysecret-value-1']) {
        assert.ok(s3.stdout.split('\n').includes(line), line);
      }
      rmSync(join(dir, 'pitr_cipher_pass'));
      const missing = run({});
      assert.notEqual(missing.status, 0);
      assert.match(missing.stderr, /pitr_cipher_pass is missing or empty/);
      assert.ok(!missing.stderr.includes('keysecret'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
