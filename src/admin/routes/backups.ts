// Backups from the admin UI, through the same code as the CLI: the list of `pesquel backup --list`
// (backup/manifest.ts), a backup started as a polled job (backup/pglite.ts, postgres.ts), its
// download, the restore check into a scratch database (`pesquel restore --check`, backup/check.ts)
// and, for owners behind a typed confirmation, the restore itself (backup/restore.ts).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AdminDeps } from '../deps.js';
import { AdminError } from '../errors.js';
import { field, type Ctx, type Route } from '../http-kit.js';
import { PgliteDb } from '../../db/pglite.js';
import { PostgresDb } from '../../db/postgres.js';
import { listBackups, type Manifest } from '../../backup/manifest.js';
import { backupPglite } from '../../backup/pglite.js';
import { backupPostgres } from '../../backup/postgres.js';
import { checkBackup } from '../../backup/check.js';
import { openBackup, restoreBackup } from '../../backup/restore.js';
import { keepingAudit } from '../audit/survive-restore.js';
import { BackupJobs, partialBytes, type Job } from './backup-jobs.js';

/** The compose stack's backup healthcheck turns unhealthy after 49 h (PESQUEL_BACKUP_STALE_AFTER): so does the home page. */
export const staleAfterHours = 49;

const summary = (m: Manifest) => ({
  file: m.file, createdAt: m.createdAt, bytes: m.bytes, source: m.source, kind: m.kind, serverVersion: m.serverVersion,
  tables: Object.keys(m.rowCounts).length, rows: Object.values(m.rowCounts).reduce((a, b) => a + b, 0),
});

export function backupRoutes(d: AdminDeps): Route[] {
  const dir = resolve(d.config.backupDir);
  const jobs = new BackupJobs();
  // The admin's own URI: a role that may read every table (the API's authenticator may not).
  const pgUri = d.config.adminDbUri ?? d.config.dbUri;

  /** A listed backup's manifest by file name: only names from the directory listing are ever opened. */
  const known = (file: string): Manifest => {
    const m = listBackups(dir).find((x) => x.file === file);
    if (!m) throw new AdminError(404, 'no-backup', `no backup ${file} in the backup directory`);
    return m;
  };

  const backupNow = async () => {
    const target = { dir, keep: d.config.backupKeep, maxAgeDays: d.config.backupMaxAgeDays };
    if (d.apiDb instanceof PgliteDb) return summary((await backupPglite(d.apiDb, target)).manifest);
    if (!pgUri) throw new AdminError(409, 'no-db-uri', 'no database URI to back up');
    return summary((await backupPostgres(pgUri, target)).manifest);
  };

  const restoreNow = (file: string) => keepingAudit(d.adb, known(file).createdAt, () => restoreFile(file));

  const restoreFile = async (file: string) => {
    const b = await openBackup(join(dir, file));
    const channel = d.config.dbChannelEnabled ? d.config.dbChannel : null;
    let check;
    if (d.apiDb instanceof PgliteDb) {
      check = await restoreBackup(d.apiDb, b, { replace: true, channel: null, uri: null });
    } else {
      if (!pgUri) throw new AdminError(409, 'no-db-uri', 'no database URI to restore into');
      const db = new PostgresDb({ uri: pgUri, poolSize: 1, acquisitionTimeoutMs: 10_000, idleTimeoutMs: 1000 });
      try {
        check = await restoreBackup(db, b, { replace: true, channel, uri: pgUri });
      } finally {
        await db.close();
      }
    }
    await d.reloadSchema();
    return { ...check, expected: b.manifest?.rowCounts ?? {} };
  };

  const audited = (ctx: Ctx, action: string) => async (job: Job) =>
    d.audit.record(ctx, { action, ok: job.state === 'done', detail: [job.file, job.error].filter(Boolean).join(': ') || null });

  const jobReply = (job: Job) => ({ json: { ...job, bytes: job.kind === 'backup' && job.state === 'running' ? partialBytes(dir) : null } });

  return [
    {
      method: 'GET', path: '/api/backups',
      handler: async () => ({ json: { dir, backups: listBackups(dir).map(summary), job: jobs.current } }),
    },
    {
      method: 'GET', path: '/api/backups/status',
      handler: async () => {
        const all = listBackups(dir);
        const newest = all[0] ?? null;
        const ageSeconds = newest ? Math.max(0, Math.round((Date.now() - Date.parse(newest.createdAt)) / 1000)) : null;
        return {
          json: {
            dir, count: all.length, newest: newest ? summary(newest) : null, ageSeconds, staleAfterHours,
            stale: ageSeconds === null || ageSeconds > staleAfterHours * 3600,
          },
        };
      },
    },
    { method: 'GET', path: '/api/backups/job', handler: async (ctx) => jobReply(jobs.get(ctx.url.searchParams.get('id') ?? '')) },
    {
      method: 'POST', path: '/api/backups', role: 'editor',
      handler: async (ctx) => ({ status: 202, ...jobReply(jobs.start('backup', null, backupNow, audited(ctx, 'backup.start'))) }),
    },
    {
      method: 'GET', path: '/api/backups/download', role: 'editor',
      handler: async (ctx) => {
        const m = known(ctx.url.searchParams.get('file') ?? '');
        await d.audit.record(ctx, { action: 'backup.download', detail: m.file });
        return { body: readFileSync(join(dir, m.file)), headers: { 'Content-Type': 'application/octet-stream', 'Content-Disposition': `attachment; filename="${m.file}"` } };
      },
    },
    {
      method: 'POST', path: '/api/backups/check', role: 'editor',
      handler: async (ctx) => {
        const file = known(field(await ctx.json(), 'file')).file;
        const work = async () => ({ ...(await checkBackup(await openBackup(join(dir, file)), pgUri)), expected: known(file).rowCounts });
        return { status: 202, ...jobReply(jobs.start('check', file, work, audited(ctx, 'backup.check'))) };
      },
    },
    {
      method: 'POST', path: '/api/backups/restore', role: 'owner',
      handler: async (ctx) => {
        const b = await ctx.json();
        const file = known(field(b, 'file')).file;
        // The typed confirmation: the file's own name, so a stray click restores nothing.
        if (b.confirm !== file) throw new AdminError(400, 'confirm', `type the backup's file name (${file}) to confirm: the restore replaces all data`);
        return { status: 202, ...jobReply(jobs.start('restore', file, () => restoreNow(file), audited(ctx, 'backup.restore'))) };
      },
    },
  ];
}
