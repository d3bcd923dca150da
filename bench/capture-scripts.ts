// Builds the baselines' script table: runs each scenario once through a PeSquel whose database
// connection passes through the capture proxy, and keeps the transaction it sent, split into
// statements. A scenario PeSquel rejects is recorded as an error instead (the current build may
// not implement it yet), and every target then reports that error for it.
import { writeFileSync } from 'node:fs';
import { CaptureProxy } from './capture.js';
import { requestsFor, scriptId, sendOne, type Auth } from './requests.js';
import { keyed, todoKey, type Scenario } from './scenarios.js';
import { startPesquel, type PesquelRun } from './servers/fleet.js';
import type { ScriptSpec } from './servers/script-table.js';
import { splitStatements } from './sql-split.js';
import type { ServerStack } from './stack.js';

export interface Captured {
  readonly scripts: Record<string, ScriptSpec>;
  /** Scenario+auth → why PeSquel could not serve it. */
  readonly errors: Record<string, string>;
  /** Scenario+auth → response body bytes of the captured request. */
  readonly bodyBytes: Record<string, number>;
  /** Scenario+auth → database round trips PeSquel made for one request. */
  readonly roundTrips: Record<string, number>;
}

const isEnd = (s: string) => /^(COMMIT|ROLLBACK)\b/i.test(s);

export function toSpec(tx: readonly string[], status: number, contentType: string, keyLiteral: string | null): ScriptSpec {
  const statements = tx.flatMap(splitStatements);
  // A transaction PeSquel ended in a second round trip is replayed with its end in the same script.
  if (!isEnd(statements[statements.length - 1] ?? '')) statements.push('COMMIT');
  let mainIndex = statements.length - 2;
  while (mainIndex > 0 && isEnd(statements[mainIndex] ?? '')) mainIndex--;
  return { statements, mainIndex, keyLiteral, status, contentType };
}

export async function captureScripts(stack: ServerStack, cases: ReadonlyArray<{ s: Scenario; auth: Auth }>, token: string, poolSize: number, file: string, run: PesquelRun = {}): Promise<Captured> {
  const proxy = await CaptureProxy.start(stack.pg.host, stack.pg.port);
  const uri = new URL(stack.directUri);
  uri.port = String(proxy.port);
  const api = await startPesquel('pesquel-capture', { dbUri: uri.toString(), listenUri: stack.directUri }, poolSize, run);
  const out: Captured = { scripts: {}, errors: {}, bodyBytes: {}, roundTrips: {} };
  try {
    for (const { s, auth } of cases) {
      const id = scriptId(s, auth);
      const req = requestsFor(s, auth, token)[0];
      if (!req) continue;
      try {
        // The first request of a kind may fill caches (roles, signing keys): capture the second.
        await sendOne(api.url, req);
        await new Promise((r) => setTimeout(r, 30));
        const from = proxy.queries.length;
        const trips = proxy.roundTrips;
        const res = await sendOne(api.url, req);
        await new Promise((r) => setTimeout(r, 30)); // a separately sent COMMIT may still be in flight
        out.bodyBytes[id] = Buffer.byteLength(res.body);
        out.roundTrips[id] = proxy.roundTrips - trips;
        if (res.status >= 300) {
          out.errors[id] = `PeSquel answered ${res.status}: ${res.body.slice(0, 300)}`;
          continue;
        }
        const tx = proxy.transactionSince(from);
        if (!tx) {
          out.errors[id] = 'no transaction captured (did PeSquel use the extended protocol?)';
          continue;
        }
        out.scripts[id] = toSpec(tx, res.status, res.contentType, keyed(s) ? todoKey(1) : null);
      } catch (err) {
        out.errors[id] = `request failed: ${(err as Error).message}`;
      }
    }
  } finally {
    await api.stop();
    await proxy.close();
  }
  writeFileSync(file, JSON.stringify(out.scripts, null, 1));
  return out;
}
