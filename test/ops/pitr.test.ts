// Point-in-time recovery with the real pgbackrest binary and a posix repository: full backup, writes,
// note the time, more writes, stop, `pesquel restore --to-time` (local mode), start: the first writes are
// there, the later ones are not. Also measures the restore time (the RTO figure in docs/operations.md).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
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
});
