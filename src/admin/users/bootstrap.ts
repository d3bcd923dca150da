// The first owner, and the upgrade from the single shared password: on a database without
// accounts, the stored (scrypt) password hash or the configured admin-password becomes the
// password of the owner account `admin`, so nobody is locked out; on a fresh one a password is
// generated and shown once, and stored as the owner's only after it has been shown.
import { hashPassword as argon2Hash } from '../../auth/service/passwords.js';
import { generatePassword, hashPassword as scryptHash } from '../auth/password.js';
import type { AdminStore } from '../store.js';
import { checkPassword } from '../auth/hashes.js';
import { Accounts, legacyOwner } from './accounts.js';
import { AdminError, pgErrorBody } from '../errors.js';
import type { AdminDb } from '../db/admin-db.js';

export interface OwnerBootstrap {
  /** The password generated at this start (to be shown once), else null. */
  readonly generated: string | null;
  /** Until keep(): the generated password's hash, which signs in as `admin` meanwhile. */
  pendingHash(): string | null;
  /** Stores the generated password as the owner's; called once it has been shown. */
  keep(): Promise<void>;
}

const none: OwnerBootstrap = { generated: null, pendingHash: () => null, keep: async () => undefined };

/**
 * The accounts at start: their tables (created when missing) and the first owner. A database that
 * refuses the admin's role (tables made by another role, no store) leaves accounts off — the UI
 * then signs in with the admin password alone, as before accounts — and says why through `warn`.
 */
export async function openAccounts(db: AdminDb, store: AdminStore, configured: string | null, warn: (why: string) => void): Promise<{ accounts: Accounts | null; owner: OwnerBootstrap }> {
  if (!store.available) return { accounts: null, owner: none };
  const accounts = new Accounts(db);
  try {
    await accounts.setup();
    return { accounts, owner: await bootstrapOwner(configured, store, accounts) };
  } catch (err) {
    const pg = pgErrorBody(err);
    if (!pg) throw err;
    warn(`${pg.message}: set admin-db-uri to the role that owns schema pesquel_admin`);
    return { accounts: null, owner: none };
  }
}

/** The setting the single password's hash was kept in before accounts. */
const legacyHashKey = 'password_hash';

export async function bootstrapOwner(configured: string | null, store: AdminStore, accounts: Accounts): Promise<OwnerBootstrap> {
  if (configured !== null) {
    // admin-password stays the password of `admin` while it is set (as it was of the whole UI).
    const admin = await accounts.find(legacyOwner);
    if (!admin) {
      if ((await accounts.count()) === 0) await accounts.add(legacyOwner, 'owner', await argon2Hash(configured));
    } else if (!admin.hash || !(await checkPassword(admin.hash, configured)).ok) {
      await accounts.setPassword(legacyOwner, await argon2Hash(configured));
    }
    return none;
  }
  if ((await accounts.count()) > 0) return none;
  const legacy = await store.setting(legacyHashKey);
  if (legacy !== null) {
    // Kept as it is (scrypt): the first sign-in with it stores an argon2id hash instead.
    await accounts.add(legacyOwner, 'owner', legacy).catch(ignoreTaken);
    return none;
  }
  const generated = generatePassword();
  let pending: string | null = await scryptHash(generated);
  return {
    generated,
    pendingHash: () => pending,
    keep: async () => {
      if (pending === null) return;
      await accounts.add(legacyOwner, 'owner', await argon2Hash(generated)).catch(ignoreTaken);
      pending = null;
    },
  };
}

/** Another instance starting at the same time made the account first: theirs stands. */
function ignoreTaken(err: unknown): void {
  if (!(err instanceof AdminError && err.code === 'user-exists')) throw err;
}

/** `pesquel admin reset-password`: a new generated password for `admin` (made an owner account when missing). */
export async function resetOwnerPassword(accounts: Accounts): Promise<string> {
  const password = generatePassword();
  const hash = await argon2Hash(password);
  if (await accounts.find(legacyOwner)) await accounts.setPassword(legacyOwner, hash);
  else await accounts.add(legacyOwner, 'owner', hash);
  return password;
}
