// db-pool-automatic-recovery on PostgreSQL, with `pesquel start` as child processes: when the database
// stops, the one with recovery off logs one line and exits 1 (for its supervisor to restart it),
// while one with the default keeps running and answers 503 PGRST000.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pgBinariesAvailable } from '../helpers/postgres-server.js';
import { until } from '../helpers/until.js';
import { pesquel, startPesquelCli, type CliProcess } from '../ops/cli.js';
import { freePort } from '../ops/free-port.js';
import { stopPostgres } from '../ops/pg-outage.js';
import { startApiDatabase, type ApiDatabase } from './harness.js';

const password = 'authenticator-recovery-test';

describe('db-pool-automatic-recovery (postgres, pesquel start)', { skip: !pgBinariesAvailable() && 'no PostgreSQL binaries' }, () => {
  let pgdb: ApiDatabase | undefined;
  let cwd: string;
  const children: CliProcess[] = [];
  const start = async (extra: string[]) => {
    const port = await freePort();
    const cli = startPesquelCli(['start', '--db-url', (pgdb as ApiDatabase).url, '--port', String(port), '--admin-server-port', '0',
      '--admin-ui-port', '0', '--db-init', 'false', '--log-level', 'warn', ...extra], { cwd });
    children.push(cli);
    const api = `http://127.0.0.1:${port}`;
    await until('PeSquel to answer', async () => {
      if (cli.child.exitCode !== null) throw new Error(`exited: ${(await cli.done).stderr}`);
      return (await fetch(`${api}/todos`)).status === 200 ? true : undefined;
    }, 60_000, 100);
    return { cli, api };
  };

  before(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'pesquel-recovery-'));
    pgdb = await startApiDatabase(password);
  });
  after(async () => {
    for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    await pgdb?.server.stop();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('exits 1 with one line when the connection is lost and recovery is off; the default keeps serving 503', async () => {
    const off = await start(['--db-pool-automatic-recovery', 'false']);
    const on = await start([]);
    stopPostgres((pgdb as ApiDatabase).server);
    const result = await off.cli.done;
    assert.equal(result.code, 1, result.stderr);
    const lines = result.stdout.split('\n').filter((l) => /db-pool-automatic-recovery is false/.test(l));
    assert.equal(lines.length, 1, result.stdout);
    assert.doesNotMatch(result.stdout, /reconnecting/);
    assert.doesNotMatch(result.stdout + result.stderr, new RegExp(password));
    const r = await fetch(`${on.api}/todos`);
    assert.equal(r.status, 503);
    assert.equal(((await r.json()) as { code: string }).code, 'PGRST000');
    assert.equal(on.cli.child.exitCode, null, 'the default keeps running');
  });

  it('refuses recovery off with several workers, in one line', async () => {
    const r = await pesquel(['start', '--db-url', 'postgres://u:p@127.0.0.1:1/x', '--workers', '2', '--db-pool-automatic-recovery', 'false'], { cwd });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^pesquel start: invalid setting 'server-workers': db-pool-automatic-recovery=false .* needs one process, got 2 workers\n$/);
  });
});
