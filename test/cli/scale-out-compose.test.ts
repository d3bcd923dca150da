// Checks the scale-out compose files offline: PeSquel scales by deploy.replicas (no fixed name or host
// port), deploy/docker-compose.replicas.yml (replicas, their pgBouncer, PeSquel's replica URIs) follows
// the main file's rules, and `docker-compose config` accepts every combination setup layers.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { optionSpecs } from '../../src/config/options.js';
import { writeDerivedFiles } from '../../src/cli/stack/derived.js';
import { ensurePrivateDir } from '../../src/cli/stack/files.js';
import { deployDir, generatedTraefikOverlayPath, replicasOverlayPath } from '../../src/cli/stack/paths.js';
import { writePgbouncerReplicasIni } from '../../src/cli/stack/pgbouncer-replicas.js';
import { SETUP_FILES } from '../../src/cli/stack/remove.js';
import { REPLICA_SERVICE_SECRET_FILES, replicationPassfile, writeReplicationFiles } from '../../src/cli/stack/replication.js';
import { ensurePrimarySecrets, readPrimaryValues } from '../../src/cli/stack/secrets.js';
import { writeTraefikConfig } from '../../src/cli/stack/tls-files.js';
import { loadCompose, networkNames, readDeployFile, secretNames } from './helpers/compose-model.js';
import type { ComposeModel, Service } from './helpers/compose-model.js';
import { makeStackDir, removeStackDir, secretValues } from './helpers/stack-dir.js';

type Scaled = Service & { deploy?: { replicas?: string | number }; container_name?: string; command?: string[]; build?: { context: string } };
const main = loadCompose();
const overlay = parse(readDeployFile('docker-compose.replicas.yml'), { merge: true }) as ComposeModel & { services: Record<string, Scaled> };
const replica = overlay.services['postgres-replica'] ?? {};
const bouncer = overlay.services['pgbouncer-replicas'] ?? {};
const SECRET_FILE = /^\$\{PESQUEL_STACK_DIR:-\.\.\}\/secrets\/([A-Za-z0-9_.-]+)$/;
const fileOf = (secret: string): string => SECRET_FILE.exec(overlay.secrets[secret]?.file ?? '')?.[1] ?? `(${secret} undefined)`;

describe('PeSquel scales by deploy.replicas', () => {
  it('the pesquel service has N replicas from PESQUEL_STACK_API_INSTANCES, no fixed name and no host port', () => {
    const pesquel = main.services.pesquel as Scaled;
    assert.deepEqual(pesquel.deploy, { replicas: '${PESQUEL_STACK_API_INSTANCES:-1}' });
    assert.equal(pesquel.container_name, undefined);
    assert.equal(pesquel.ports, undefined);
  });

  it('the generated-routes overlay mounts what setup writes, over the shipped Traefik files', () => {
    const generated = parse(readDeployFile('traefik', 'docker-compose.generated.yml')) as ComposeModel;
    const target = (v: string): string => v.replace(/^\$\{[^}]*\}/, '').split(':')[1] ?? '';
    assert.deepEqual((generated.services.traefik?.volumes ?? []).map(target), (main.services.traefik?.volumes ?? []).map(target));
    for (const v of generated.services.traefik?.volumes ?? []) assert.match(v, /^\$\{PESQUEL_STACK_DIR:-\.\.\}\/traefik\/(traefik|dynamic)\.yml:/);
    assert.ok(existsSync(generatedTraefikOverlayPath()));
  });
});

describe('deploy/docker-compose.replicas.yml', () => {
  it('runs M replicas of the primary\'s image on the backend network only, scaled, unnamed, unpublished', () => {
    assert.equal(replica.image, main.services.postgres?.image, 'a physical copy needs the same image');
    assert.deepEqual(replica.deploy, { replicas: '${PESQUEL_STACK_PG_REPLICAS:-1}' });
    assert.equal(replica.container_name, undefined);
    assert.equal(replica.ports, undefined);
    assert.deepEqual(networkNames(replica), ['backend']);
    assert.deepEqual(replica.depends_on, { postgres: { condition: 'service_healthy' } });
    assert.deepEqual(replica.entrypoint, ['/bin/sh', '/usr/local/bin/pesquel-replica-entrypoint.sh']);
    assert.ok((replica.volumes ?? []).includes('./postgres/replica-entrypoint.sh:/usr/local/bin/pesquel-replica-entrypoint.sh:ro'));
    assert.ok(!(replica.volumes ?? []).some((v) => v.endsWith('/var/lib/postgresql/data')), 'one anonymous data volume per container');
  });

  for (const [name, s] of Object.entries(overlay.services).filter(([n]) => n === 'postgres-replica' || n === 'pgbouncer-replicas')) {
    it(`${name}: healthcheck, restart policy, rotated logs, no-new-privileges`, () => {
      const test = s.healthcheck?.test;
      assert.ok(Array.isArray(test) && (test[0] === 'CMD' || test[0] === 'CMD-SHELL'));
      assert.equal(s.restart, 'unless-stopped');
      assert.equal(s.logging?.driver, 'json-file');
      assert.ok(s.logging.options?.['max-size'] && s.logging.options['max-file']);
    });
  }

  it('adds the replication hook and its secret to the primary, and the replica URIs to PeSquel as a _FILE', () => {
    const pg = overlay.services.postgres ?? {};
    assert.deepEqual(secretNames(pg), ['replication_scram']);
    assert.deepEqual(pg.volumes, ['./postgres/20-pesquel-replication.sh:/docker-entrypoint-initdb.d/20-pesquel-replication.sh:ro']);
    const env = overlay.services.pesquel?.environment ?? {};
    assert.ok('db-replica-uris' in optionSpecs, 'PeSquel has the db-replica-uris option');
    assert.deepEqual(Object.keys(env), [`PESQUEL_${'db-replica-uris'.toUpperCase().replace(/-/g, '_')}_FILE`]);
    assert.equal(env.PESQUEL_DB_REPLICA_URIS_FILE, '/run/secrets/db_replica_uris');
    assert.deepEqual(secretNames(overlay.services.pesquel ?? {}), ['db_replica_uris']);
  });

  it('mounts secret files only, each one setup writes, as the CLI maps them to services', () => {
    for (const secret of Object.keys(overlay.secrets)) assert.ok(SETUP_FILES.includes(fileOf(secret)), `${secret}: ${fileOf(secret)} is written by setup`);
    const actual = Object.fromEntries(['postgres', 'postgres-replica', 'pesquel'].map((n) => [n, secretNames(overlay.services[n] ?? {}).map(fileOf)]));
    assert.deepEqual(actual, REPLICA_SERVICE_SECRET_FILES);
    assert.deepEqual(secretNames(bouncer), ['pgbouncer_userlist'], 'the main file defines it');
    assert.ok(main.secrets.pgbouncer_userlist);
    for (const s of Object.values(overlay.services)) assert.equal(s.environment?.PGPASSWORD, undefined);
  });

  it('pgbouncer-replicas: the pgbouncer image and settings, the databases setup generates', () => {
    assert.equal(bouncer.image, main.services.pgbouncer?.image);
    assert.deepEqual(bouncer.build, main.services.pgbouncer?.build);
    assert.deepEqual(bouncer.command, ['pgbouncer', '/etc/pgbouncer/pgbouncer-replicas.ini']);
    assert.deepEqual(bouncer.volumes, [
      './pgbouncer/pgbouncer.ini:/etc/pgbouncer/pgbouncer.ini:ro',
      '${PESQUEL_STACK_DIR:-..}/pgbouncer/pgbouncer-replicas.ini:/etc/pgbouncer/pgbouncer-replicas.ini:ro',
    ]);
    assert.deepEqual(networkNames(bouncer).sort(), ['backend', 'web']);
  });

  it('every mounted deploy file exists and is read-only; the scripts parse as POSIX sh', () => {
    for (const s of Object.values(overlay.services)) {
      for (const v of s.volumes ?? []) {
        const src = v.split(':')[0] ?? '';
        if (!src.startsWith('.')) continue;
        assert.ok(existsSync(join(deployDir(), src)), src);
        assert.match(v, /:ro$/);
      }
    }
    for (const script of ['replica-entrypoint.sh', '20-pesquel-replication.sh', 'entrypoint.sh']) {
      const r = spawnSync('sh', ['-n', join(deployDir(), 'postgres', script)], { encoding: 'utf8' });
      assert.equal(r.status, 0, `${script}: ${r.stderr}`);
    }
  });

  it('the replica passfile escapes what libpq would split on', () => {
    assert.equal(replicationPassfile('a:b\\c'), 'postgres:5432:replication:replicator:a\\:b\\\\c\n');
  });
});

const dockerCompose = spawnSync('docker-compose', ['version'], { encoding: 'utf8' });
describe('docker-compose config of a scaled stack', { skip: dockerCompose.status !== 0 && 'docker-compose (v1, Debian package) is not installed' }, () => {
  it('accepts main + generated routes + replicas (and + HTTPS) with the files setup writes, resolving no secret', () => {
    const stack = makeStackDir();
    try {
      const dir = join(stack, 'secrets');
      ensurePrivateDir(dir);
      ensurePrimarySecrets(dir, { domain: 'pesquel.localhost' });
      const values = readPrimaryValues(dir);
      writeDerivedFiles(dir, values);
      writeReplicationFiles(dir, values, 2, 'postgres');
      writePgbouncerReplicasIni(stack, 2, values.postgresDb);
      writeTraefikConfig(join(stack, 'traefik'), { domain: 'pesquel.localhost', tls: { mode: 'off' }, httpsPort: 443, apiInstances: 3 });
      const env = { ...process.env, PESQUEL_STACK_DIR: stack, PESQUEL_STACK_API_INSTANCES: '3', PESQUEL_STACK_PG_REPLICAS: '2' };
      const sets = [
        [generatedTraefikOverlayPath(), replicasOverlayPath()],
        [join(deployDir(), 'docker-compose.https.yml'), join(deployDir(), 'traefik', 'docker-compose.self-signed.yml'), replicasOverlayPath()],
      ];
      for (const overlays of sets) {
        const files = [join(deployDir(), 'docker-compose.yml'), ...overlays].flatMap((f) => ['-f', f]);
        const r = spawnSync('docker-compose', ['-p', 'pesquel', ...files, 'config'], { encoding: 'utf8', env });
        assert.equal(r.status, 0, r.stderr);
        const config = parse(r.stdout) as ComposeModel & { services: Record<string, Scaled> };
        assert.equal(config.services.pesquel?.deploy?.replicas, 3);
        assert.equal(config.services['postgres-replica']?.deploy?.replicas, 2);
        assert.equal(config.services.pesquel?.environment?.PESQUEL_DB_REPLICA_URIS_FILE, '/run/secrets/db_replica_uris');
        assert.ok(r.stdout.includes(`file: ${dir}/pesquel_db_replica_uris.txt`));
        const hooks = (config.services.postgres?.volumes ?? []).map((v) => JSON.stringify(v)).filter((v) => v.includes('docker-entrypoint-initdb.d'));
        assert.equal(hooks.length, 3, 'the 10-, 20- and 99- hooks');
        const values = [...secretValues(stack), ...['replication_password.txt', 'replication_scram.txt'].map((f) => readFileSync(join(dir, f), 'utf8').trim())];
        for (const s of values) assert.ok(!r.stdout.includes(s), 'no secret value in the resolved config');
      }
    } finally {
      removeStackDir(stack);
    }
  });
});
