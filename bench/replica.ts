// Read replicas in the benchmark: the `replicas` cell (GET 10 rows through PeSquel reading from the
// primary vs from a streaming replica of it, `pr`), the replica that `pr` reads from, and its table.
import type { Cell } from './plan.js';
import type { SuiteResult, RunResult } from './suite.js';
import { scenario } from './scenarios.js';
import type { ChildServer } from './servers/child.js';
import { cells, cpuRoundRatios, find, fmt, medianOf } from './report/compare.js';
import { startReplica, type PgReplica } from '../test/helpers/postgres-server.js';
import type { ServerStack } from './stack.js';

/**
 * One cell: GET 10 rows at 50 connections on `pesquel` (db-uri only) and `pr` (the same build with
 * db-replica-uris: every read on the replica), back to back, order alternating per round.
 */
export const replicaCell = (rounds: number): Cell => ({
  section: 'replicas', backend: 'direct', scenario: scenario('get-10'), auth: 'anon', connections: 50, targets: ['pesquel', 'pr'], rounds,
});

/**
 * Starts a streaming replica of the stack's server (pg_basebackup -R, caught up), then `start` with
 * its URI (as the authenticator); the server's stop() also stops the replica.
 */
export async function withReplica(stack: ServerStack, start: (replicaUri: string, replica: PgReplica) => Promise<ChildServer>): Promise<ChildServer> {
  const replica = await startReplica(stack.pg);
  try {
    await replica.catchUp();
    const { username, password } = new URL(stack.directUri);
    const server = await start(replica.url(decodeURIComponent(username), decodeURIComponent(password)), replica);
    return {
      ...server,
      stop: async () => {
        await server.stop();
        await replica.stop();
      },
    };
  } catch (err) {
    await replica.stop();
    throw err;
  }
}

const cpu = (r: RunResult | undefined) => (r?.cpuMsPerRequest == null ? '–' : r.cpuMsPerRequest.toFixed(3));

/** The report's table: req/s and PeSquel's CPU per request, reading from the primary and from the replica. */
export function replicaTable(suite: SuiteResult): string {
  const keys = cells(suite, 'replicas');
  if (keys.length === 0) return '_not run in this mode_';
  const rows = keys.map((k) => {
    const direct = find(suite, k, 'pesquel');
    const replica = find(suite, k, 'pr');
    const perRound = cpuRoundRatios(suite, k, 'pr', 'pesquel');
    const rps = direct && replica && direct.rps > 0 && replica.rps > 0 ? fmt.ratio(replica.rps / direct.rps) : '–';
    return [k.scenario, String(k.connections), fmt.rps(direct), fmt.rps(replica), rps, cpu(direct), cpu(replica),
      perRound.length === 0 ? '–' : `${medianOf(perRound).toFixed(2)}× (${perRound.map((x) => x.toFixed(2)).join(', ')})`,
      String((direct?.errors ?? 0) + (replica?.errors ?? 0))];
  });
  const head = ['scenario', 'connections', 'primary req/s', 'replica req/s', 'replica ÷ primary', 'PeSquel CPU ms/req, primary',
    'PeSquel CPU ms/req, replica', 'CPU per request, replica ÷ primary (median; rounds)', 'errors'];
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}
