// The scale-out helpers without Docker: flag parsing, the recorded scale, the connection budget,
// Traefik's servers per container, replica URIs, and health waiting over every container of a service.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { serviceReady, waitHealthy } from '../../src/cli/stack/health.js';
import type { ServiceState } from '../../src/cli/stack/health.js';
import { replicaUris } from '../../src/cli/stack/replication.js';
import { chooseScale, connectionWarning, countOption, DEFAULT_SCALE, primaryConnections, readScale, writeScale } from '../../src/cli/stack/scale.js';
import type { PrimaryValues } from '../../src/cli/stack/secrets.js';
import { pesquelBalancer, traefikDynamic } from '../../src/cli/stack/traefik.js';
import { readDeployFile } from './helpers/compose-model.js';

const up = (service: string, health = 'healthy'): ServiceState => ({ service, state: 'running', health });

describe('scale-out helpers', () => {
  it('countOption: whole numbers in range only, undefined when not given', () => {
    assert.equal(countOption('n', undefined, 1, 4), undefined);
    assert.equal(countOption('n', '4', 1, 4), 4);
    assert.equal(countOption('n', '007', 1, 8), 7);
    for (const bad of ['0', '5', '1e1', ' ', '2.0', '+2', 'NaN']) assert.throws(() => countOption('n', bad, 1, 4), /--n must be a whole number from 1 to 4/);
  });

  it('the recorded scale: none for a stack never scaled, flags over the record, a damaged file refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pesquel-scale-'));
    try {
      assert.deepEqual(readScale(dir), DEFAULT_SCALE);
      assert.equal(writeScale(dir, DEFAULT_SCALE), false, 'no file for the defaults');
      assert.equal(writeScale(dir, { apiInstances: 2, pgReplicas: 1 }), true);
      assert.equal(writeScale(dir, { apiInstances: 2, pgReplicas: 1 }), false, 'unchanged: not rewritten');
      assert.deepEqual(chooseScale({ pgReplicas: 0 }, readScale(dir)), { apiInstances: 2, pgReplicas: 0 });
      assert.equal(writeScale(dir, DEFAULT_SCALE), true, 'going back to the defaults is recorded too');
      assert.deepEqual(JSON.parse(readFileSync(join(dir, 'scale.json'), 'utf8')), DEFAULT_SCALE);
      for (const text of ['not json', '{"apiInstances":2}', '{"apiInstances":2,"pgReplicas":9}', '[]']) {
        writeFileSync(join(dir, 'scale.json'), text);
        assert.throws(() => readScale(dir), /secrets\/scale\.json is not valid/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('connections to the primary: direct N × 14, through pgBouncer 25 + N × 4; a warning past 97', () => {
    assert.equal(primaryConnections(6, 'postgres'), 84);
    assert.equal(primaryConnections(8, 'postgres'), 112);
    assert.equal(primaryConnections(18, 'pgbouncer'), 97);
    assert.deepEqual(connectionWarning(6, 'postgres'), []);
    assert.match(connectionWarning(7, 'postgres')[0] ?? '', /7 API instances may open 98 connections.*Use --api-db pgbouncer/);
    assert.match(connectionWarning(19, 'pgbouncer')[0] ?? '', /101 connections.*Raise max_connections\.$/);
  });

  it('Traefik: `pesquel` for one container (as shipped), one server per container for several', () => {
    const o = { domain: 'pesquel.localhost', tls: { mode: 'off' } as const, httpsPort: 443 };
    const shipped = parse(readDeployFile('traefik', 'dynamic.yml').replace(/\{\{ env "PESQUEL_DOMAIN" \}\}/g, 'pesquel.localhost')) as unknown;
    assert.deepEqual(shipped, traefikDynamic(o));
    assert.deepEqual(traefikDynamic({ ...o, apiInstances: 1 }), traefikDynamic(o));
    const api = pesquelBalancer({ ...o, apiInstances: 2 }, 3000) as { servers: Array<{ url: string }> };
    assert.deepEqual(api.servers, [{ url: 'http://pesquel-pesquel-1:3000' }, { url: 'http://pesquel-pesquel-2:3000' }]);
    const admin = pesquelBalancer({ ...o, tls: { mode: 'self-signed' }, apiInstances: 2 }, 3002) as { sticky: { cookie: { secure: boolean } } };
    assert.equal(admin.sticky.cookie.secure, true, 'Secure cookie with HTTPS');
  });

  it('replica URIs: each replica directly, or its own pgBouncer database; passwords URL-encoded', () => {
    const v = { authenticatorPassword: 'p@ss', postgresDb: 'my db' } as PrimaryValues;
    assert.equal(replicaUris(v, 2, 'postgres'),
      'postgres://authenticator:p%40ss@pesquel-postgres-replica-1:5432/my%20db,postgres://authenticator:p%40ss@pesquel-postgres-replica-2:5432/my%20db');
    assert.equal(replicaUris(v, 1, 'pgbouncer'), 'postgres://authenticator:p%40ss@pgbouncer-replicas:6432/replica-1');
  });

  it('a scaled service is ready only when every one of its containers is', async () => {
    assert.equal(serviceReady([up('pesquel'), up('pesquel', 'starting')], 'pesquel'), false);
    assert.equal(serviceReady([up('pesquel'), up('pesquel')], 'pesquel'), true);
    assert.equal(serviceReady([], 'pesquel'), false);
    const rounds = [[up('pesquel'), up('pesquel', 'starting')], [up('pesquel'), up('pesquel')]];
    let calls = 0;
    await waitHealthy(async () => rounds[Math.min(calls++, 1)] ?? [], ['pesquel'], { timeoutMs: 5000, intervalMs: 1, sleep: async () => undefined });
    assert.equal(calls, 2);
    await assert.rejects(
      waitHealthy(async () => [up('postgres-replica'), { service: 'postgres-replica', state: 'exited', health: '' }], ['postgres-replica'], { timeoutMs: 5000, intervalMs: 1 }),
      /stopped: postgres-replica \(exited\)/,
    );
  });
});
