// A viewer's SQL: a READ ONLY transaction whose first snapshot is taken at once (so a later
// `SET TRANSACTION READ WRITE` fails), and the statements a viewer may not send because they would
// end that transaction, reach the server's files and programs or change the connection's state.
import type { AdminConn } from '../db/admin-db.js';

/** BEGIN READ ONLY and a first query (it fixes the snapshot). */
export async function readOnlyBegin(c: AdminConn): Promise<void> {
  await c.query('BEGIN TRANSACTION READ ONLY');
  await c.query("SELECT set_config('transaction_read_only', 'on', true)");
}

/** Transaction-local settings: `[['role', 'pesquel_viewer'], ['request.jwt.claims', '{…}']]`. */
export async function applySettings(c: AdminConn, settings: readonly (readonly [string, string])[]): Promise<void> {
  for (const [k, v] of settings) await c.query('SELECT set_config($1, $2, true)', [k, v]);
}

/** BEGIN READ ONLY, then the "run as" settings. */
export async function readOnlyStart(c: AdminConn, settings: readonly (readonly [string, string])[]): Promise<void> {
  await readOnlyBegin(c);
  await applySettings(c, settings);
}

const refused: Readonly<Record<string, string>> = {
  BEGIN: 'ends the read-only transaction', START: 'ends the read-only transaction', COMMIT: 'ends the read-only transaction',
  END: 'ends the read-only transaction', ROLLBACK: 'ends the read-only transaction', ABORT: 'ends the read-only transaction',
  PREPARE: 'ends the read-only transaction', COPY: 'reads or writes files on the server',
  RELEASE: "ends the savepoint the viewer's run rolls back to",
  DEALLOCATE: "drops the connection's prepared statements (behind pgBouncer, the API's)",
};

/** Why a viewer may not run a statement of this command (`COMMIT`, …), or null. */
export function refusedReadOnly(command: string): string | null {
  const why = refused[command];
  return why ? `a viewer cannot run ${command}: it ${why}` : null;
}
