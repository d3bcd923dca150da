// Point-in-time recovery with the real pgbackrest binary and a posix repository: full backup, writes,
// note the time, more writes, stop, `pesquel restore --to-time` (local mode), start: the first writes are
// there, the later ones are not. Also measures the restore time (the RTO figure in docs/operations.md).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pgBinariesAvailable, startPostgres, type PgServer } from '../helpers/postgres-server.js';
import { pesquel } from './cli.js';
import { pointInTimeDrill } from './pitr-drill.js';
import { pitrFixture, STANZA, type PitrFixture } from './pitr-local.js';

describe('pesquel restore --to-time (pgBackRest, local server)', { skip: !pgBinariesAvailable() && 'no PostgreSQL binaries' }, () => {
  let server: PgServer;
  let fx: PitrFixture;

  before(async () => {
    server = await startPostgres();
    fx = await pitrFixture(server);
  });
  after(async () => {
    await server?.stop();
    fx?.cleanup();
  });

  it('rejects a bad time in one line before touching anything', async () => {
    for (const bad of ['yesterday', '2026-13-01 10:00:00+00', '2026-12-04 10:15:00', '2999-01-01 00:00:00+00']) {
      const r = await pesquel(['restore', '--to-time', bad, '--pg-data', server.dataDir, '--stanza', STANZA], { cwd: fx.dir });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /--to-time .*got '/);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });

  it('refuses to restore while the server runs', async () => {
    const r = await pesquel(['restore', '--to-latest', '--pg-data', server.dataDir, '--stanza', STANZA, '--pgbackrest-config', fx.config], { cwd: fx.dir });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /is running on .*stop it before restoring/);
  });

  it('restores to the noted time: the first writes are there, the later ones are not', async () => {
    await pointInTimeDrill(server, fx, 'posix repository');
  });

  it("the compose stack's scheduler (deploy/pgbackrest/scheduler.sh) backs up when due, and only then", async () => {
    const script = fileURLToPath(new URL('../../deploy/pgbackrest/scheduler.sh', import.meta.url));
    const env = {
      PGBACKREST_CONFIG: fx.config, PGBACKREST_STANZA: STANZA, PGBACKREST_PG1_USER: server.superUser,
      PGBACKREST_PG1_SOCKET_PATH: dirname(server.dataDir), PGBACKREST_PG1_PORT: String(server.port),
      PESQUEL_PITR_ONCE: '1', PESQUEL_PITR_OK_FILE: join(fx.dir, 'scheduler-ok'), PESQUEL_PITR_FULL_EVERY_HOURS: '168',
    };
    const backups = async () => (JSON.parse(await fx.run(['info', '--output=json'])) as { backup: { type: string }[] }[])[0]!.backup.map((b) => b.type);
    const before = await backups();
    assert.equal(before.at(-1), 'full');
    const due = await fx.runAsOwner('sh', [script], { ...env, PESQUEL_PITR_DIFF_EVERY_HOURS: '0' });
    assert.match(due, /starting a diff backup/);
    assert.deepEqual(await backups(), [...before, 'diff'], 'a differential: the full one is less than a week old');
    const notDue = await fx.runAsOwner('sh', [script], { ...env, PESQUEL_PITR_DIFF_EVERY_HOURS: '24' });
    assert.doesNotMatch(notDue, /starting/);
    assert.deepEqual(await backups(), [...before, 'diff']);
    assert.ok(existsSync(join(fx.dir, 'scheduler-ok')), 'the healthcheck file');
    assert.ok(!(due + notDue).includes(fx.cipherPass));
  });
});
