// Prepares a database for PeSquel: its own objects (sql/internal/NNNN-*.sql: the roles, the auth
// schema, …) as versioned, checksummed internal migrations applied whenever some are pending, and the
// user-facing seed (sql/init/*.sql: the api schema, todos and notes with RLS) once, on a fresh database.
// Every file is idempotent: databases made before PeSquel versioned its objects may hold some already.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { quoteLiteral } from '../sql/sql.js';
import { inTransaction } from './transaction.js';
import type { Conn, Db } from './types.js';

export const initSqlDir = fileURLToPath(new URL('../../sql/init/', import.meta.url));
export const internalSqlDir = fileURLToPath(new URL('../../sql/internal/', import.meta.url));

export interface InternalMigration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  /** sha256 of the file, hex: an applied version whose file changed is refused. */
  readonly checksum: string;
}

const sqlFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();

export function internalMigrations(): InternalMigration[] {
  return sqlFiles(internalSqlDir).map((name) => {
    const m = /^(\d+)-/.exec(name);
    if (!m) throw new Error(`sql/internal/${name}: the name must start with its version number`);
    const sql = readFileSync(internalSqlDir + name, 'utf8');
    return { version: Number(m[1]), name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
  });
}

// Readable by every role (versions and checksums only), so a server connecting as the authenticator
// can tell that nothing is pending without any other privilege.
const tableSql = `CREATE SCHEMA IF NOT EXISTS pesquel;
GRANT USAGE ON SCHEMA pesquel TO PUBLIC;
CREATE TABLE IF NOT EXISTS pesquel.internal_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT ON pesquel.internal_migrations TO PUBLIC`;

const recordSql = (m: InternalMigration) =>
  `INSERT INTO pesquel.internal_migrations (version, name, checksum) VALUES (${m.version}, ${quoteLiteral(m.name)}, ${quoteLiteral(m.checksum)}) ON CONFLICT (version) DO NOTHING`;

/**
 * Everything a fresh database needs, in order, as scripts a superuser can run as they are (tests,
 * benchmarks): each internal migration followed by its own record, then the seed.
 */
export function initScripts(): Array<{ name: string; sql: string }> {
  return [
    ...internalMigrations().map((m) => ({ name: `internal/${m.name}`, sql: `${m.sql};\n${tableSql};\n${recordSql(m)};` })),
    ...sqlFiles(initSqlDir).map((name) => ({ name, sql: readFileSync(initSqlDir + name, 'utf8') })),
  ];
}

// Two processes starting on one database (N server instances, or a server and a migrate) would
// both apply; the loser failed on pg_authid's unique index. Everything runs under one
// transaction-scoped advisory lock (fine through pgBouncer in transaction mode) and re-checks inside it.
const lockSql = `SELECT pg_advisory_xact_lock(hashtextextended('pesquel init', 0))`;

function initTransaction<T>(db: Db, fn: (conn: Conn) => Promise<T>): Promise<T> {
  return db.withConnection((conn) => inTransaction(conn, async (c) => {
    await c.exec(lockSql);
    return fn(c);
  }));
}

const appliedSql = `SELECT version, checksum FROM pesquel.internal_migrations`;
// A catalog scan, not to_regclass(): after waiting for the lock, the name lookup caches of this
// backend may still hold the 'no such schema' it saw before another instance created it.
const tableExistsSql = `SELECT EXISTS (SELECT FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'pesquel' AND c.relname = 'internal_migrations') AS ok`;

async function appliedVersions(q: Pick<Conn, 'query'>): Promise<Map<number, string>> {
  const exists = await q.query<{ ok: boolean }>(tableExistsSql);
  if (exists.rows[0]?.ok !== true) return new Map();
  const r = await q.query<{ version: number; checksum: string }>(appliedSql);
  return new Map(r.rows.map((x) => [Number(x.version), x.checksum]));
}

/** Internal migrations not applied yet; throws when an applied one's file has changed since. */
function pending(all: readonly InternalMigration[], applied: ReadonlyMap<number, string>): InternalMigration[] {
  for (const m of all) {
    const sum = applied.get(m.version);
    if (sum !== undefined && sum !== m.checksum) {
      throw new Error(`PeSquel's internal migration ${m.name} was applied with another content (checksum ${sum.slice(0, 12)}…, file ${m.checksum.slice(0, 12)}…): this PeSquel does not match the database`);
    }
  }
  return all.filter((m) => !applied.has(m.version));
}

export class InternalMigrationError extends Error {}

async function applyInternal(conn: Conn, todo: readonly InternalMigration[]): Promise<void> {
  if (todo.length === 0) return;
  await conn.exec(tableSql);
  for (const m of todo) {
    await conn.exec(m.sql);
    await conn.exec(recordSql(m));
  }
}

/**
 * Runs the pending internal migrations (re-read under the lock) and then `then`, in one transaction.
 * A failure names what was pending; the driver's error stays its cause (it is thrown outside the
 * connection's scope, so the backend sees the database's own error, not a wrapped one).
 */
async function upgradeThen<T>(db: Db, all: readonly InternalMigration[], expected: readonly InternalMigration[], then: (conn: Conn, upgraded: readonly InternalMigration[]) => Promise<T>): Promise<T> {
  try {
    return await initTransaction(db, async (conn) => {
      const todo = pending(all, await appliedVersions(conn));
      await applyInternal(conn, todo);
      return then(conn, todo);
    });
  } catch (err) {
    if (expected.length === 0) throw err;
    const names = expected.map((m) => m.name).join(', ');
    throw new InternalMigrationError(`could not upgrade PeSquel's own database objects (${names}): ${(err as Error).message}`, { cause: err });
  }
}

async function runSeed(conn: Conn): Promise<void> {
  for (const name of sqlFiles(initSqlDir)) await conn.exec(readFileSync(initSqlDir + name, 'utf8'));
}

/** `pesquel init`: the internal migrations that are pending and the seed (idempotent), in one transaction. */
export async function applyInitSql(db: Db): Promise<void> {
  const all = internalMigrations();
  await upgradeThen(db, all, pending(all, await appliedVersions(db)), runSeed);
}

const missingSql = 'SELECT count(*) AS n FROM pg_namespace WHERE nspname = $1';
const isMissing = (r: { rows: ReadonlyArray<{ n: unknown }> }) => Number(r.rows[0]?.n ?? 0) === 0;

/** True when the given schema is missing (a fresh database). */
export async function schemaMissing(db: Db, schema: string): Promise<boolean> {
  return isMissing(await db.query<{ n: unknown }>(missingSql, [schema]));
}

export interface InitResult {
  /** The seed was applied (the api schema was missing). */
  readonly seeded: boolean;
  /** Internal migrations applied now, by file name. */
  readonly upgraded: readonly string[];
}

/**
 * At every start (db-init): applies pending internal migrations, and the seed when `schema` is
 * missing. When nothing is to do it costs two catalog reads and takes no lock, so N instances
 * starting together upgrade once and then go on without waiting for each other.
 */
export async function prepareDatabase(db: Db, schema = 'api'): Promise<InitResult> {
  const all = internalMigrations();
  const expected = pending(all, await appliedVersions(db));
  if (expected.length === 0 && !(await schemaMissing(db, schema))) return { seeded: false, upgraded: [] };
  return upgradeThen(db, all, expected, async (conn, upgraded) => {
    const seeded = isMissing(await conn.query<{ n: unknown }>(missingSql, [schema]));
    if (seeded) await runSeed(conn);
    return { seeded, upgraded: upgraded.map((m) => m.name) };
  });
}

/** True when this call seeded a fresh database (see prepareDatabase). */
export async function ensureInitialized(db: Db, schema = 'api'): Promise<boolean> {
  return (await prepareDatabase(db, schema)).seeded;
}
