// One transaction on one connection: BEGIN, the work, COMMIT; on any error ROLLBACK (quietly) and
// rethrow. Used by the tools that run several statements as one unit (init, migrations, restore,
// the auth store); API requests use request scripts instead (request-script.ts).
import type { Conn } from './types.js';

export async function inTransaction<T>(conn: Conn, fn: (conn: Conn) => Promise<T>): Promise<T> {
  await conn.exec('BEGIN');
  try {
    const result = await fn(conn);
    await conn.exec('COMMIT');
    return result;
  } catch (err) {
    await conn.exec('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
