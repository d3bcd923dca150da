// `pesquel init`: applies the bundled init SQL (idempotent) to the configured database.
import { applyInitSql } from '../../db/init.js';
import { openDb } from '../../db/open.js';
import { CliError } from '../cli-error.js';
import { configFlagsHelp, configFrom, parseFlags } from '../flags.js';

export const summary = "Apply PeSquel's init SQL to a database";

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help')) {
    console.log(`Usage: pesquel init [options]\n\nCreates roles authenticator/api_anon/api_user, the api schema and api.todos with RLS.\nSafe to run again. Needs a role that may create roles and schemas.\n\n${configFlagsHelp}`);
    return 0;
  }
  const config = configFrom(parseFlags(args));
  const db = await openDb(config);
  try {
    await applyInitSql(db);
  } catch (err) {
    throw new CliError(`init failed: ${(err as Error).message}`);
  } finally {
    await db.close();
  }
  console.log(`Initialised ${config.dbUri === null ? `the embedded database in ${config.dataDir}` : 'the database'}.`);
  return 0;
}
