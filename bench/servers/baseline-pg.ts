// Baselines 1 and 2: a minimal node:http server replaying PeSquel's transaction for each request
// with the same driver (pg) and pool size: `--mode single` sends it as one simple-protocol round
// trip, `--mode multi` as one round trip per statement (BEGIN / settings / query / COMMIT).
//   node --import tsx bench/servers/baseline-pg.ts --uri postgres://… --pool 10 --mode single --scripts s.json
import pg from 'pg';
import { args } from './read-body.js';
import { loadScripts } from './script-table.js';
import { serveScripts } from './serve-scripts.js';

const a = args(process.argv.slice(2));
const scripts = loadScripts(a.scripts ?? '');
const single = a.mode === 'single';
// Same type parsing as PeSquel's backend (src/db/postgres.ts): int8 stays text.
const types = { getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === 20 ? (v: string) => v : pg.types.getTypeParser(oid, format as 'text')) };
const pool = new pg.Pool({ connectionString: a.uri, max: Number(a.pool ?? 10), types });
pool.on('error', () => undefined);

async function run(statements: readonly string[], mainIndex: number): Promise<Record<string, unknown>[]> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    if (single) {
      const r = (await client.query(statements.join(';\n'))) as unknown as pg.QueryResult | pg.QueryResult[];
      return (Array.isArray(r) ? r[mainIndex]?.rows : r.rows) ?? [];
    }
    let rows: Record<string, unknown>[] = [];
    for (const [i, s] of statements.entries()) {
      const r = await client.query(s);
      if (i === mainIndex) rows = r.rows as Record<string, unknown>[];
    }
    return rows;
  } catch (err) {
    await client.query('ROLLBACK').catch((e: Error) => (broken = e));
    throw err;
  } finally {
    client.release(broken);
  }
}

serveScripts(scripts, run, () => pool.end());
