// `pesquel admin reset-password`: replaces the admin UI's stored password with a new generated one
// and prints it once. A running embedded server does it itself (it holds the data directory).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { OptionName } from '../../config/options.js';
import { PgliteDb } from '../../db/pglite.js';
import { resetAdminPassword } from '../../admin/server.js';
import { createLogger } from '../../observability/logger.js';
import { CliError } from '../cli-error.js';
import { configHelp, configFrom, parseFlags } from '../flags.js';
import { callControl, openTarget, runningEmbedded } from '../ops-target.js';

export const summary = 'Admin UI tasks: reset-password';

const options: OptionName[] = ['db-uri', 'data-dir', 'admin-db-uri', 'db-listen-uri', 'admin-password'];

export const help = `Usage: pesquel admin reset-password [options]

Generates a new admin UI password, stores its hash (replacing the old one) and prints it once.
A running PeSquel accepts it at the next sign-in; no restart is needed. When admin-password is
set (config, PESQUEL_ADMIN_PASSWORD or PESQUEL_ADMIN_PASSWORD_FILE), that one is used instead:
change it there.

${configHelp(options)}`;

async function reset(config: ReturnType<typeof configFrom>): Promise<{ password: string; how: string }> {
  const logger = createLogger('error');
  const server = runningEmbedded(config);
  if (server) {
    const out = await callControl<{ password: string }>(server, '/admin-password', {});
    return { password: out.password, how: `by the running server, pid ${server.pid}` };
  }
  if (config.dbUri !== null) return { password: await resetAdminPassword({ config, db: null, logger }), how: 'in the database' };
  if (!existsSync(join(config.dataDir, 'PG_VERSION'))) throw new CliError(`there is no embedded database in ${resolve(config.dataDir)} (set --data-dir, or --db-url for PostgreSQL)`);
  const db = await openTarget(config, false);
  try {
    if (!(db instanceof PgliteDb)) throw new CliError('expected the embedded database');
    return { password: await resetAdminPassword({ config, db, logger }), how: `in ${config.dataDir}` };
  } finally {
    await db.close();
  }
}

export async function run(args: string[]): Promise<number> {
  const flags = parseFlags(args, [], [], options);
  const [action, ...extra] = flags.positionals;
  if (action !== 'reset-password' || extra.length > 0) throw new CliError(`usage: pesquel admin reset-password [options] (see pesquel admin --help)`, 2);
  const config = configFrom(flags);
  if (config.adminPassword !== null) {
    throw new CliError('admin-password is set (config file, PESQUEL_ADMIN_PASSWORD or PESQUEL_ADMIN_PASSWORD_FILE), and the admin UI uses it: change it there');
  }
  let result;
  try {
    result = await reset(config);
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`cannot reset the admin password: ${(err as Error).message.split('\n')[0]}`);
  }
  console.log(`New admin UI password: ${result.password}`);
  console.error(`Stored hashed (${result.how}); shown only this once. The old password no longer works.`);
  return 0;
}
