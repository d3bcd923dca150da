// Accept: application/vnd.pgrst.plan: the EXPLAIN of the very statement the request would run.
// Example: format json, options [analyze, verbose] → EXPLAIN (FORMAT JSON, ANALYZE, VERBOSE) WITH pgrst_source AS (…) SELECT …
import type { ExtraMedia } from '../plan/types.js';
import { sql, unsafeRaw, type Sql } from './sql.js';

type PlanMedia = Extract<ExtraMedia, { kind: 'plan' }>;

const optionSql: Record<PlanMedia['options'][number], string> = {
  analyze: 'ANALYZE', verbose: 'VERBOSE', settings: 'SETTINGS', buffers: 'BUFFERS', wal: 'WAL',
};

export function explainSql(media: PlanMedia, main: Sql): Sql {
  const options = [media.format === 'json' ? 'FORMAT JSON' : 'FORMAT TEXT', ...media.options.map((o) => optionSql[o])];
  return sql`EXPLAIN (${unsafeRaw(options.join(', '))}) ${main}`;
}
