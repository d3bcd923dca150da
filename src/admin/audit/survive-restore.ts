// A restore puts the whole database back as it was, the audit log included: the entries written
// since the backup (and a margin before it) are read first and written back afterwards, so a
// restore never erases the record of what happened, itself included.
import type { AdminDb } from '../db/admin-db.js';

const marginMs = 10 * 60_000;

type Kept = Record<'at' | 'actor' | 'actor_role' | 'action' | 'sql' | 'rows_affected' | 'ok' | 'detail', string | null>;

const readSql = `SELECT at::text, actor, actor_role, action, sql, rows_affected::text, ok::text, detail
  FROM pesquel_admin.audit_log WHERE at >= $1::timestamptz ORDER BY id`;

const writeSql = `INSERT INTO pesquel_admin.audit_log (at, actor, actor_role, action, sql, rows_affected, ok, detail)
  SELECT $1::timestamptz, $2, $3, $4, $5, $6::bigint, $7::boolean, $8
  WHERE NOT EXISTS (SELECT FROM pesquel_admin.audit_log WHERE at = $1::timestamptz AND actor = $2 AND action = $4)`;

/** Runs `restore` keeping the audit entries written since `backupAt` (ISO time). */
export async function keepingAudit<T>(db: AdminDb, backupAt: string, restore: () => Promise<T>): Promise<T> {
  const since = new Date(Date.parse(backupAt) - marginMs).toISOString();
  const kept = await db.use((c) => c.rows<Kept>(readSql, [since])).catch(() => [] as Kept[]);
  const result = await restore();
  if (kept.length > 0) {
    await db.use(async (c) => {
      for (const k of kept) await c.query(writeSql, [k.at, k.actor, k.actor_role, k.action, k.sql, k.rows_affected, k.ok, k.detail]);
    });
  }
  return result;
}
