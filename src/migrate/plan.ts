// Compares the migration files with the migrations recorded as applied (pure): what is pending, and
// what must stop `migrate` — an edited or missing applied migration, or a new file ordered before
// an applied one (Drizzle's migrator skips those silently; PeSquel refuses).
import type { MigrationFile } from './files.js';

export interface AppliedMigration {
  readonly version: string;
  readonly name: string;
  readonly checksum: string;
  readonly appliedAt: string;
}

export type MigrationState = 'applied' | 'pending' | 'edited' | 'missing' | 'out-of-order';

export interface StatusRow {
  readonly version: string;
  readonly name: string;
  readonly state: MigrationState;
  readonly appliedAt: string | null;
}

export interface MigrationPlan {
  readonly rows: readonly StatusRow[];
  readonly pending: readonly MigrationFile[];
  /** One line per problem; non-empty means nothing may be applied. */
  readonly problems: readonly string[];
}

export function planMigrations(files: readonly MigrationFile[], applied: readonly AppliedMigration[]): MigrationPlan {
  const byVersion = new Map(files.map((f) => [f.version, f]));
  const appliedVersions = new Set(applied.map((a) => a.version));
  const newestApplied = applied.reduce<bigint | null>((max, a) => (max === null || BigInt(a.version) > max ? BigInt(a.version) : max), null);
  const rows: StatusRow[] = [];
  const problems: string[] = [];
  for (const a of applied) {
    const f = byVersion.get(a.version);
    if (!f) {
      rows.push({ version: a.version, name: a.name, state: 'missing', appliedAt: a.appliedAt });
      problems.push(`migration ${a.version}_${a.name}.sql was applied on ${a.appliedAt} but its file is missing; restore the file (migrations are forward-only)`);
    } else if (f.checksum !== a.checksum) {
      rows.push({ version: a.version, name: a.name, state: 'edited', appliedAt: a.appliedAt });
      problems.push(`migration ${f.file} was edited after it was applied (checksum ${a.checksum.slice(0, 12)} → ${f.checksum.slice(0, 12)}); revert the edit and put the change in a new migration`);
    } else {
      rows.push({ version: a.version, name: a.name, state: 'applied', appliedAt: a.appliedAt });
    }
  }
  const pending: MigrationFile[] = [];
  for (const f of files) {
    if (appliedVersions.has(f.version)) continue;
    if (newestApplied !== null && BigInt(f.version) < newestApplied) {
      rows.push({ version: f.version, name: f.name, state: 'out-of-order', appliedAt: null });
      problems.push(`migration ${f.file} is ordered before the already applied ${newestApplied}; rename it with a later version (pesquel migrate new)`);
    } else {
      rows.push({ version: f.version, name: f.name, state: 'pending', appliedAt: null });
      pending.push(f);
    }
  }
  rows.sort((x, y) => (BigInt(x.version) < BigInt(y.version) ? -1 : BigInt(x.version) > BigInt(y.version) ? 1 : 0));
  return { rows, pending, problems };
}
