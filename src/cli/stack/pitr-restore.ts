// `pesquel restore --to-time` on the compose stack: stops the services that write, restores the
// postgres volume with the pgbackrest service's image (`docker compose run`), starts everything again,
// waits for the promotion, then counts rows and asks the API.
import { restoreTypeArgs, type RecoveryTarget } from '../../backup/pitr-time.js';
import { CliError } from '../cli-error.js';
import { composeCapture, composeStep, type Stack } from './compose.js';
import { firstLine } from './exec.js';
import { parsePs, waitHealthy } from './health.js';
import { composeFilePath, composePath } from './paths.js';
import { pitrSettings, pitrVariables, pitrOverlayPaths } from './pitr.js';

export type ComposeRestore = { stackDir: string; target: RecoveryTarget; timeoutMs: number; describe: string };

/** One statement: `schema.table|count` per user table (the same tables as the logical backups count). */
const unsafeCountsSql = `SELECT n.nspname || '.' || c.relname,
  (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I.%I', n.nspname, c.relname), false, true, '')))[1]::text
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
   AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
 ORDER BY 1`;

/** psql inside the postgres container, over its socket, as the superuser named in the secret. */
const PSQL = ['exec', '-T', 'postgres', 'sh', '-c', 'psql -X -q -At -v ON_ERROR_STOP=1 -U "$(cat /run/secrets/postgres_user)" -d "$(cat /run/secrets/postgres_db)" -c "$1"', 'psql'];
const API_PROBE = "fetch('http://127.0.0.1:3000/').then((r) => { console.log(r.status); process.exit(r.status < 500 ? 0 : 1); }, () => process.exit(1))";

export function pitrStack(stackDir: string): Stack {
  const s = pitrSettings({}, stackDir);
  if (!s.enabled) throw new CliError(`the stack in ${stackDir} has no point-in-time recovery: run \`pesquel setup --pitr\` first (and let it take a backup).`);
  return {
    composeFile: composeFilePath(),
    overlays: pitrOverlayPaths(s),
    profiles: [],
    env: { ...process.env, PESQUEL_STACK_DIR: composePath(stackDir), ...pitrVariables(s) },
  };
}

async function psql(stack: Stack, sql: string): Promise<string> {
  const r = await composeCapture(stack, [...PSQL, sql]);
  if (r.code !== 0) throw new CliError(`psql in the postgres container failed: ${firstLine(r.stderr) || `exit code ${r.code}`}`);
  return r.stdout;
}

async function waitPromoted(stack: Stack, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await psql(stack, 'SELECT pg_is_in_recovery()')).trim() !== 'f') {
    if (Date.now() >= deadline) throw new CliError(`PostgreSQL is still replaying WAL after ${Math.round(timeoutMs / 1000)} s; see \`docker compose -p pesquel logs postgres\`.`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

export async function restoreCompose(r: ComposeRestore): Promise<number> {
  const stack = pitrStack(r.stackDir);
  const list = async () => parsePs((await composeCapture(stack, ['ps', '--all', '--format', 'json'])).stdout);
  const wait = { timeoutMs: r.timeoutMs, intervalMs: 1000 };
  const t0 = performance.now();
  await composeStep(stack, ['stop', 'pesquel', 'pgbouncer', 'pgbackrest', 'postgres'], 'Stopping the stack');
  await composeStep(stack, ['run', '--rm', '--no-deps', '-T', '--entrypoint', '/usr/local/bin/pesquel-pgbackrest', 'pgbackrest',
    'restore', ...restoreTypeArgs(r.target), '--delta'], 'pgbackrest restore');
  console.log(`Restored the postgres volume ${r.describe}; starting PostgreSQL to replay WAL...`);
  await composeStep(stack, ['start', 'postgres'], 'Starting postgres');
  await waitHealthy(list, ['postgres'], wait);
  await waitPromoted(stack, r.timeoutMs);
  await composeStep(stack, ['start', 'pgbouncer', 'pesquel', 'pgbackrest'], 'Starting the other services');
  await waitHealthy(list, ['pgbouncer', 'pesquel'], wait);
  const rows = (await psql(stack, unsafeCountsSql)).split('\n').filter(Boolean).map((l) => l.split('|'));
  for (const [table, n] of rows) console.log(`  ${table}: ${n} rows`);
  console.log(`Restored database: ${rows.length} tables, ${rows.reduce((a, [, n]) => a + Number(n), 0)} rows.`);
  const api = await composeCapture(stack, ['exec', '-T', 'pesquel', 'node', '-e', API_PROBE]);
  if (api.code !== 0) throw new CliError(`the API does not answer after the restore: ${firstLine(api.stderr) || firstLine(api.stdout) || `exit code ${api.code}`}`);
  console.log(`The API answers (${api.stdout.trim()}). Point-in-time restore done in ${((performance.now() - t0) / 1000).toFixed(1)} s.`);
  return 0;
}
