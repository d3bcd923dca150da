// What the admin API's routes share: the admin's database access and store, the API it can call
// as another role, sessions and the password check. Built once by server.ts.
import type { Config } from '../config/config.js';
import type { Db } from '../db/types.js';
import type { Logger } from '../observability/logger.js';
import type { AdminDb } from './db/admin-db.js';
import type { AdminStore } from './store.js';
import type { LoginGate, Sessions } from './auth/sessions.js';
import type { PasswordCheck } from './auth/password.js';
import type { Accounts } from './users/accounts.js';
import type { Invites } from './users/invites.js';
import type { OwnerBootstrap } from './users/bootstrap.js';
import type { AuditLog } from './audit/audit-log.js';
import type { TokenAccount } from './auth/jwt-sign-in.js';
import type { ViewerDb } from './viewer/viewer-db.js';

export interface AdminDeps {
  readonly config: Config;
  readonly adb: AdminDb;
  /** Server mode: where a viewer's SQL runs (as pesquel_viewer over db-uri); none on PGlite. */
  readonly viewer?: ViewerDb;
  readonly store: AdminStore;
  /** The API's database (for its pool status). */
  readonly apiDb: Db;
  /** Where the REST API listens, for "run an API request as". */
  readonly apiUrl: string;
  /** Reloads the API's schema cache after DDL run from the admin. */
  readonly reloadSchema: () => Promise<void>;
  readonly sessions: Sessions;
  readonly limiter: LoginGate;
  /** The accounts, or null when the admin store is unavailable (then `password` signs in as owner). */
  readonly accounts: Accounts | null;
  readonly invites: Invites | null;
  readonly owner: OwnerBootstrap;
  /** The single password, used only without an admin store. */
  readonly password: PasswordCheck | null;
  readonly audit: AuditLog;
  /** Sign-in with a JWT of the API's issuer (admin-jwt-claim), or null when off. */
  readonly tokenAccount: TokenAccount | null;
  readonly logger: Logger;
}
