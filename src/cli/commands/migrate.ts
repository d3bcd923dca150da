// `pesquel migrate [status | new <name>]`: forward-only SQL migrations from migrations-dir. On the
// embedded database while `pesquel start` runs, the running server applies them (control endpoint).
import { resolve } from 'node:path';
import type { Config } from '../../config/config.js';
import { applyMigrations, migrationStatus } from '../../migrate/apply.js';
import { MigrationError, newMigration, readMigrations, type MigrationFile } from '../../migrate/files.js';
import type { MigrationPlan } from '../../migrate/plan.js';
import type { Db } from '../../db/types.js';
import type { ControlFile } from '../../http/control-server.js';
import { CliError } from '../cli-error.js';
import type { OptionName } from '../../config/options.js';
import { configHelp, configFrom, parseFlags } from '../flags.js';
import { callControl, openTarget, runningEmbedded } from '../ops-target.js';

export const summary = 'Apply, create or inspect SQL migrations';

const options: OptionName[] = ['db-uri', 'data-dir', 'db-channel', 'db-channel-enabled', 'db-init', 'db-schemas', 'admin-db-uri'];

export const help = `Usage: pesquel migrate [options]            apply pending migrations
       pesquel migrate status [options]     list migrations and their state
       pesquel migrate new <name>           create migrations/<timestamp>_<name>.sql

Migrations are forward-only SQL files applied in version order, each in its own transaction under
an advisory lock (a second migrate waits), recorded with a checksum in pesquel.schema_migrations.
An edited or missing applied migration, or a new file ordered before an applied one, stops migrate.
Running servers reload their schema cache afterwards (NOTIFY db-channel).

  --dir DIR            Migrations directory (migrations-dir, default: ./migrations)

${configHelp(options)}`;

function printStatus(plan: MigrationPlan): void {
  if (plan.rows.length === 0) {
    console.log('No migrations.');
    return;
  }
  for (const r of plan.rows) console.log(`${r.state.padEnd(12)} ${r.version}_${r.name}${r.appliedAt ? `  (applied ${r.appliedAt})` : ''}`);
  const pending = plan.rows.filter((r) => r.state === 'pending').length;
  console.log(`${plan.rows.length - pending} applied, ${pending} pending.`);
}

async function withTarget<T>(config: Config, viaServer: (server: ControlFile) => Promise<T>, direct: (db: Db) => Promise<T>): Promise<T> {
  const server = runningEmbedded(config);
  if (server) return viaServer(server);
  const db = await openTarget(config);
  try {
    return await direct(db);
  } finally {
    await db.close();
  }
}

function load(dir: string): MigrationFile[] {
  try {
    return readMigrations(dir);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
}

export async function run(args: string[]): Promise<number> {
  const flags = parseFlags(args, [], ['dir'], [...options, 'migrations-dir']);
  const [action = 'apply', ...rest] = flags.positionals;
  const config = configFrom(flags);
  const dir = resolve(typeof flags.other.dir === 'string' ? flags.other.dir : config.migrationsDir);

  if (action === 'new') {
    const name = rest.join(' ');
    if (name.trim() === '') throw new CliError('usage: pesquel migrate new <name>', 2);
    try {
      console.log(`Created ${newMigration(dir, name)}`);
    } catch (err) {
      throw new CliError((err as Error).message);
    }
    return 0;
  }
  if (action === 'status') {
    const files = load(dir);
    const plan = await withTarget(config, (server) => callControl<MigrationPlan>(server, '/migrate', { action: 'status', files }),
      (db) => migrationStatus(db, files));
    printStatus(plan);
    for (const p of plan.problems) console.error(`problem: ${p}`);
    return plan.problems.length > 0 ? 1 : 0;
  }
  if (action !== 'apply' && action !== 'up') throw new CliError(`unknown action '${action}' (apply, status, new)`, 2);
  const files = load(dir);
  let applied: string[];
  try {
    applied = await withTarget(config,
      async (server) => {
        const out = await callControl<{ applied: string[] }>(server, '/migrate', { action: 'apply', files });
        for (const f of out.applied) console.log(`applied ${f} (by the running server, pid ${server.pid})`);
        return out.applied;
      },
      (db) => applyMigrations(db, files, { channel: config.dbChannelEnabled ? config.dbChannel : null,
        onApplied: (f, ms) => console.log(`applied ${f.file} (${ms} ms)`) }));
  } catch (err) {
    if (err instanceof MigrationError) throw new CliError(err.message);
    throw err;
  }
  console.log(applied.length === 0 ? `Nothing to apply: ${files.length} migration(s), all applied.` : `Applied ${applied.length} migration(s); the database is up to date.`);
  return 0;
}
