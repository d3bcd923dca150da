// What the embedded database's control endpoint does (see control-server.ts): apply or inspect
// migrations the CLI sends, and write a backup, with the session this server already holds.
import type { Config } from '../config/config.js';
import type { Db } from '../db/types.js';
import { PgliteDb } from '../db/pglite.js';
import { applyMigrations, migrationStatus } from '../migrate/apply.js';
import type { MigrationFile } from '../migrate/files.js';
import { backupPglite } from '../backup/pglite.js';
import type { Observe } from '../observability/observer.js';
import { startControlServer, type ControlHandler, type ControlServer } from './control-server.js';

export interface MigrateRequest {
  readonly action: 'apply' | 'status';
  readonly files: readonly MigrationFile[];
}

export interface BackupRequest {
  readonly dir: string;
  readonly keep: number;
  readonly maxAgeDays: number;
}

/** `hooks.routes`: further work the CLI hands over (e.g. `pesquel admin reset-password`). */
export async function startControl(config: Config, db: Db, hooks: { observe: Observe; reloadSchema: () => Promise<void>; routes?: Readonly<Record<string, ControlHandler>> }): Promise<ControlServer | null> {
  if (!(db instanceof PgliteDb) || config.dbUri !== null) return null;
  return startControlServer(config.dataDir, {
    ...hooks.routes,
    '/migrate': async (body) => {
      const req = body as MigrateRequest;
      if (req.action === 'status') return migrationStatus(db, req.files);
      const applied = await applyMigrations(db, req.files, { channel: null });
      if (applied.length > 0) {
        hooks.observe({ type: 'migrations-applied', applied });
        await hooks.reloadSchema();
      }
      return { applied };
    },
    '/backup': async (body) => {
      const req = body as BackupRequest;
      const t0 = performance.now();
      const result = await backupPglite(db, req);
      hooks.observe({ type: 'backup-written', file: result.path, bytes: result.manifest.bytes, ms: performance.now() - t0 });
      return result;
    },
  });
}
