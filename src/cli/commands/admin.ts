// `pesquel admin`: the admin UI's accounts — reset-password (the owner `admin`), add-user,
// list-users, remove-user, set-role. A running embedded server does the work itself (it holds the
// data directory); otherwise the database is opened here. Passwords are never logged.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../../config/config.js';
import type { OptionName } from '../../config/options.js';
import { PgliteDb } from '../../db/pglite.js';
import type { Db } from '../../db/types.js';
import { adminAccounts, resetAdminPassword } from '../../admin/server.js';
import type { AccountReply, AccountRequest } from '../../admin/users/account-actions.js';
import { createLogger } from '../../observability/logger.js';
import { CliError } from '../cli-error.js';
import { configHelp, configFrom, parseFlags } from '../flags.js';
import { callControl, openTarget, runningEmbedded } from '../ops-target.js';
import { readSecretInput } from './admin-password-input.js';

export const summary = 'Admin UI accounts: add-user, list-users, remove-user, set-role, reset-password';

const options: OptionName[] = ['db-uri', 'data-dir', 'admin-db-uri', 'db-listen-uri', 'admin-password'];

export const help = `Usage: pesquel admin add-user <email> --role owner|editor|viewer [--password-stdin]
       pesquel admin list-users
       pesquel admin remove-user <email>
       pesquel admin set-role <email> owner|editor|viewer
       pesquel admin reset-password

Admin UI accounts. Roles: owner (everything, accounts and restores included), editor (data and
schema changes), viewer (read-only: its SQL runs in a read-only transaction).

add-user sets the password read from standard input with --password-stdin (a prompt that does not
echo on a terminal), else generates one and prints it once. reset-password generates a new password
for the owner account "admin" (the single password of older versions became that account) and
prints it once; when admin-password is set (config, PESQUEL_ADMIN_PASSWORD or
PESQUEL_ADMIN_PASSWORD_FILE), it is admin's password at every start: change it there. A running
PeSquel applies every change at once; no restart is needed.

${configHelp(options)}`;

type Work<T> = { control: [route: string, body: unknown]; direct: (o: { config: Config; db: Db | null; logger: ReturnType<typeof createLogger> }) => Promise<T> };

async function onDatabase<T>(config: Config, work: Work<T>): Promise<{ out: T; how: string }> {
  const logger = createLogger('error');
  const server = runningEmbedded(config);
  if (server) return { out: await callControl<T>(server, ...work.control), how: `by the running server, pid ${server.pid}` };
  if (config.dbUri !== null) return { out: await work.direct({ config, db: null, logger }), how: 'in the database' };
  if (!existsSync(join(config.dataDir, 'PG_VERSION'))) throw new CliError(`there is no embedded database in ${resolve(config.dataDir)} (set --data-dir, or --db-url for PostgreSQL)`);
  const db = await openTarget(config, true);
  try {
    if (!(db instanceof PgliteDb)) throw new CliError('expected the embedded database');
    return { out: await work.direct({ config, db, logger }), how: `in ${config.dataDir}` };
  } finally {
    await db.close();
  }
}

function usage(): never {
  throw new CliError('usage: pesquel admin add-user|list-users|remove-user|set-role|reset-password … (see pesquel admin --help)', 2);
}

async function accountRequest(action: string, args: readonly string[], other: Record<string, string | boolean>): Promise<AccountRequest> {
  const [email, extra, ...rest] = args;
  if (rest.length > 0) usage();
  if (action === 'list-users' && email === undefined) return { action: 'list' };
  if (action === 'remove-user' && email !== undefined && extra === undefined) return { action: 'remove', email };
  if (action === 'set-role' && email !== undefined && extra !== undefined) return { action: 'set-role', email, role: extra };
  if (action === 'add-user' && email !== undefined && extra === undefined) {
    if (typeof other.role !== 'string') throw new CliError('add-user needs --role owner|editor|viewer', 2);
    const password = other['password-stdin'] === true ? await readSecretInput(`Password for ${email}: `) : null;
    return { action: 'add', email, role: other.role, password };
  }
  return usage();
}

function print(r: AccountReply, how: string): void {
  if (r.action === 'list') {
    if (r.users.length === 0) console.log('No admin accounts yet (the first start creates the owner "admin").');
    for (const u of r.users) console.log(`${u.email}  ${u.role}  since ${u.createdAt}${u.hasPassword ? '' : '  (no password: JWT sign-in only)'}`);
    return;
  }
  if (r.action === 'add') {
    console.error(`Added ${r.email} as ${r.role} (${how}).`);
    if (r.generatedPassword) {
      console.log(`Password for ${r.email}: ${r.generatedPassword}`);
      console.error('Shown only this once; it is stored hashed.');
    }
    return;
  }
  console.error(r.action === 'remove' ? `Removed ${r.email} (${how}); its sessions end at once.` : `${r.email} is now ${r.role} (${how}).`);
}

export async function run(args: string[]): Promise<number> {
  const flags = parseFlags(args, ['password-stdin'], ['role'], options);
  const [action, ...rest] = flags.positionals;
  const config = configFrom(flags);
  try {
    if (action === 'reset-password') {
      if (rest.length > 0) usage();
      if (config.adminPassword !== null) {
        throw new CliError('admin-password is set (config file, PESQUEL_ADMIN_PASSWORD or PESQUEL_ADMIN_PASSWORD_FILE), and it is the password of "admin": change it there');
      }
      const { out, how } = await onDatabase<{ password: string }>(config, {
        control: ['/admin-password', {}], direct: async (o) => ({ password: await resetAdminPassword(o) }),
      });
      console.log(`New admin UI password: ${out.password}`);
      console.error('It is the password of the owner account admin (sign in without an account name, or as admin).');
      console.error(`Stored hashed (${how}); shown only this once. The old password no longer works.`);
      return 0;
    }
    if (!action || !['add-user', 'list-users', 'remove-user', 'set-role'].includes(action)) usage();
    const req = await accountRequest(action, rest, flags.other);
    const { out, how } = await onDatabase<AccountReply>(config, { control: ['/admin-accounts', req], direct: (o) => adminAccounts(o, req) });
    print(out, how);
    return 0;
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`pesquel admin ${action ?? ''}: ${(err as Error).message.split('\n')[0]}`);
  }
}
