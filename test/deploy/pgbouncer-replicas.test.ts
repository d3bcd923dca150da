// The pgbouncer-replicas configuration setup generates, read by a real pgBouncer: one database per
// replica (its own pool, on its container, with the quoted database name).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { pgbouncerReplicasIni } from '../../src/cli/stack/pgbouncer-replicas.js';
import { which } from '../cli/helpers/which.js';
import { until } from '../helpers/until.js';
import { freePort } from '../ops/free-port.js';

const binary = which('pgbouncer', ['/usr/sbin', '/usr/local/sbin']);

describe('generated pgbouncer-replicas.ini in a real pgBouncer', { skip: !binary && 'pgbouncer is not installed' }, () => {
  let dir: string;
  let port: number;
  let child: ChildProcess | undefined;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pesquel-pgbouncer-replicas-'));
    port = await freePort();
    // Stands in for deploy/pgbouncer/pgbouncer.ini (its fallback on the primary included), on a test port.
    writeFileSync(join(dir, 'base.ini'), [
      '[databases]', '* = host=postgres port=5432', '[pgbouncer]', 'listen_addr = 127.0.0.1', `listen_port = ${port}`,
      'unix_socket_dir =', 'auth_type = trust', `auth_file = ${join(dir, 'users.txt')}`, 'admin_users = admin', '',
    ].join('\n'));
    writeFileSync(join(dir, 'users.txt'), '"admin" ""\n');
    const ini = pgbouncerReplicasIni(2, "it's").replace('%include /etc/pgbouncer/pgbouncer.ini', `%include ${join(dir, 'base.ini')}`);
    writeFileSync(join(dir, 'replicas.ini'), ini);
    const root = process.getuid?.() === 0;
    const id = (flag: string): number => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
    const owner = root ? { uid: id('-u'), gid: id('-g') } : undefined;
    if (owner) for (const f of ['', ...readdirSync(dir)]) chownSync(join(dir, f), owner.uid, owner.gid);
    child = spawn(binary ?? 'pgbouncer', [join(dir, 'replicas.ini')], { cwd: dir, stdio: 'ignore', ...(owner ?? {}) });
    child.on('error', () => undefined);
  });
  after(() => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('has a database per replica, on its container, with the quoted database name', async () => {
    const show = async (): Promise<Array<Record<string, unknown>>> => {
      const c = new pg.Client({ host: '127.0.0.1', port, user: 'admin', database: 'pgbouncer' });
      c.on('error', () => undefined);
      await c.connect();
      try {
        return (await c.query('SHOW DATABASES')).rows as Array<Record<string, unknown>>;
      } finally {
        await c.end().catch(() => undefined);
      }
    };
    const rows = await until('pgBouncer to answer SHOW DATABASES', show, 15_000);
    const db = (name: string) => rows.find((r) => r.name === name);
    assert.deepEqual([db('replica-1')?.host, db('replica-1')?.port, db('replica-1')?.database], ['pesquel-postgres-replica-1', 5432, "it's"]);
    assert.deepEqual([db('replica-2')?.host, db('replica-2')?.database], ['pesquel-postgres-replica-2', "it's"]);
  });
});
