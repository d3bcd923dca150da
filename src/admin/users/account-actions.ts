// What `pesquel admin add-user | list-users | remove-user | set-role` do to the accounts, in one
// function: run by the CLI on the database, or by a running embedded server (control endpoint).
import { hashPassword } from '../../auth/service/passwords.js';
import { AdminError } from '../errors.js';
import { generatePassword } from '../auth/password.js';
import { parseRole } from '../auth/roles.js';
import { normalEmail, type Accounts, type AccountRow } from './accounts.js';

export interface AccountRequest {
  readonly action: 'add' | 'list' | 'remove' | 'set-role';
  readonly email?: string;
  readonly role?: string;
  /** add: the password to set; absent: one is generated and returned once. */
  readonly password?: string | null;
}

export type AccountReply =
  | { readonly action: 'list'; readonly users: AccountRow[] }
  | { readonly action: 'add'; readonly email: string; readonly role: string; readonly generatedPassword: string | null }
  | { readonly action: 'remove' | 'set-role'; readonly email: string; readonly role: string };

export async function accountAction(accounts: Accounts, req: AccountRequest, minPasswordLength: number): Promise<AccountReply> {
  switch (req.action) {
    case 'list':
      return { action: 'list', users: await accounts.list() };
    case 'add': {
      const email = normalEmail(req.email);
      const role = parseRole(req.role);
      if (role !== 'owner' && !(await accounts.list()).some((u) => u.role === 'owner')) {
        throw new AdminError(409, 'owner-first', 'there is no owner yet: add an owner first (--role owner)');
      }
      const generated = req.password ? null : generatePassword();
      const password = req.password ?? (generated as string);
      if (password.length < minPasswordLength || password.length > 256) throw new AdminError(400, 'bad-password', `a password needs ${minPasswordLength} to 256 characters`);
      await accounts.add(email, role, await hashPassword(password));
      return { action: 'add', email, role, generatedPassword: generated };
    }
    case 'remove': {
      const a = await accounts.remove(normalEmail(req.email));
      return { action: 'remove', email: a.email, role: a.role };
    }
    case 'set-role': {
      const a = await accounts.setRole(normalEmail(req.email), parseRole(req.role));
      return { action: 'set-role', email: a.email, role: a.role };
    }
    default:
      throw new AdminError(400, 'bad-action', 'unknown account action');
  }
}
