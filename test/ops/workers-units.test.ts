// The pure parts of server-workers: reading the worker count, the restart backoff and the
// connection budget arithmetic (the processes themselves: workers.test.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/config/config-error.js';
import { budgetWarning, connectionsNeeded } from '../../src/http/workers/budget.js';
import { restartDelay } from '../../src/http/workers/backoff.js';
import { maxWorkers, workerCount } from '../../src/http/workers/count.js';

const server = 'postgres://u@127.0.0.1/db';

describe('server-workers', () => {
  it('takes a whole number, or auto for one per core (one on the embedded database)', () => {
    assert.equal(workerCount({ serverWorkers: '1', dbUri: null }, 16), 1);
    assert.equal(workerCount({ serverWorkers: '4', dbUri: server }, 16), 4);
    assert.equal(workerCount({ serverWorkers: 'auto', dbUri: server }, 16), 16);
    assert.equal(workerCount({ serverWorkers: ' AUTO ', dbUri: server }, 2), 2);
    assert.equal(workerCount({ serverWorkers: 'auto', dbUri: null }, 16), 1);
  });

  it('refuses bad values and more than one worker on the embedded database, naming the setting', () => {
    const refused = (serverWorkers: string, dbUri: string | null, message: RegExp) =>
      assert.throws(() => workerCount({ serverWorkers, dbUri }, 4), (e: unknown) => e instanceof ConfigError && e.setting === 'server-workers' && message.test(e.message));
    refused('two', server, /expected a whole number or auto, got 'two'/);
    refused('-1', server, /expected a whole number or auto/);
    refused('0', server, new RegExp(`between 1 and ${maxWorkers}, got 0`));
    refused(String(maxWorkers + 1), server, /between 1 and/);
    refused('2', null, /embedded database is one connection in one process and allows 1 worker, got 2/);
  });
});

describe('worker restart backoff', () => {
  it('replaces a worker that ran a while at once, and doubles the wait while replacements die young', () => {
    assert.equal(restartDelay(60_000, 8000), 0);
    let delay = 0;
    const waits = Array.from({ length: 10 }, () => (delay = restartDelay(500, delay)));
    assert.deepEqual(waits, [250, 500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });
});

describe('connection budget', () => {
  it('is workers × (db-pool + 1 LISTEN connection)', () => {
    assert.equal(connectionsNeeded(4, { dbPool: 10, dbChannelEnabled: true }), 44);
    assert.equal(connectionsNeeded(4, { dbPool: 10, dbChannelEnabled: false }), 40);
  });

  it('warns only when the server has fewer free connections than the workers may open', () => {
    assert.equal(budgetWarning({ needed: 44, free: 97, maxConnections: 100 }, 4, 10), null);
    const w = budgetWarning({ needed: 176, free: 97, maxConnections: 100 }, 16, 10);
    assert.match(w ?? '', /^16 workers × \(db-pool 10 \+ 1 LISTEN\) = 176 connections, but the server has 97 free \(max_connections 100\)/);
  });
});
