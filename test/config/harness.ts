// Shared by the configuration tests: a PostgreSQL server with PeSquel's init SQL and an authenticator
// password, and a log destination whose lines can be read back.
import { PassThrough } from 'node:stream';
import pg from 'pg';
import { initScripts } from '../../src/db/init.js';
import { startPostgres, type PgServer } from '../helpers/postgres-server.js';

export interface ApiDatabase {
  readonly server: PgServer;
  /** The authenticator's URL (what db-uri holds). */
  readonly url: string;
  /** Runs SQL as the superuser on a connection of its own. */
  superSql(text: string): Promise<void>;
}

export async function startApiDatabase(password: string): Promise<ApiDatabase> {
  const server = await startPostgres();
  const superSql = async (text: string) => {
    const c = new pg.Client({ connectionString: server.superUrl });
    await c.connect();
    try { await c.query(text); } finally { await c.end(); }
  };
  for (const s of initScripts()) await superSql(s.sql);
  await superSql(`ALTER ROLE authenticator PASSWORD '${password}'`);
  return { server, url: server.url('authenticator', password), superSql };
}

/** A stream for createLogger, and the lines written to it so far. */
export function logLines(): { readonly out: PassThrough; readonly lines: string[] } {
  const out = new PassThrough();
  const lines: string[] = [];
  let buf = '';
  out.on('data', (d: Buffer) => {
    buf += d.toString();
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) { lines.push(buf.slice(0, nl)); buf = buf.slice(nl + 1); }
  });
  return { out, lines };
}
