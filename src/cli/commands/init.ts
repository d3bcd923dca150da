// `pesquel init`: applies the bundled init SQL (idempotent) to the configured database.
import { applyInitSql } from '../../db/init.js';
import { DataDirError } from '../../db/data-dir.js';
import { openDb } from '../../db/open.js';
import { CliError } from '../cli-error.js';
import type { OptionName } from '../../config/options.js';
import { configHelp, configFrom, parseFlags } from '../flags.js';

export const summary = "Apply PeSquel's init SQL to a database";

const options: OptionName[] = ['db-uri', 'data-dir'];

export const help = `Usage: pesquel init [options]

Creates roles authenticator/api_anon/api_user, the api schema and api.todos with RLS.
Safe to run again. Needs a role that may create roles and schemas.

${configHelp(options)}`;

export async function run(args: string[]): Promise<number> {
  const config = configFrom(parseFlags(args, [], [], options));
  let db;
  try {
    db = await openDb(config);
  } catch (err) {
    throw new CliError(err instanceof DataDirError ? err.message : `cannot open the database: ${(err as Error).message}`);
  }
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
