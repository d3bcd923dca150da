// Backups through the admin API on PGlite and PostgreSQL: the home page's status (none yet: stale),
// a backup started as a polled job that then appears in the list, its download, the restore check
// with row counts, and the restore itself (owners only, behind the typed file name), all audited.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from '../helpers/until.js';
import { accountClient, adminKinds, startAdmin, type AdminClient, type AdminFixture } from './helpers.js';

interface Job { id: string; state: 'running' | 'done' | 'failed'; result: Record<string, unknown> | null; error: string | null }

/** Polls a job until it ends; returns it (failed jobs too). */
async function finished(c: AdminClient, job: Job): Promise<Job> {
  return until(`backup job ${job.id} to end`, async () => {
    const j = await c.call<Job>('GET', `/api/backups/job?id=${job.id}`);
    return j.state === 'running' ? undefined : j;
  }, 120_000, 100);
}

for (const kind of adminKinds()) {
  describe(`admin backups (${kind})`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'pesquel-admin-backups-'));
    let f: AdminFixture;
    let editor: AdminClient;
    let file = '';
    before(async () => {
      f = await startAdmin(kind, [], { 'backup-dir': dir });
      editor = await accountClient(f, 'ed@example.com', 'editor');
      await f.api.sql('CREATE TABLE IF NOT EXISTS public.backup_probe (id int PRIMARY KEY)');
      await f.api.sql('INSERT INTO public.backup_probe SELECT generate_series(1, 25) ON CONFLICT DO NOTHING');
    });
    after(async () => {
      await f?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('says there is no backup yet (stale), then writes one as a job that appears in the list', async () => {
      const s0 = await editor.call<{ count: number; stale: boolean; staleAfterHours: number }>('GET', '/api/backups/status');
      assert.deepEqual([s0.count, s0.stale, s0.staleAfterHours], [0, true, 49]);
      const started = await editor.call<Job>('POST', '/api/backups', {});
      assert.equal(started.state, 'running');
      const second = await editor.fetch('/api/backups', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      if (second.status !== 202) assert.equal(second.status, 409, 'one job at a time');
      const done = await finished(editor, started);
      assert.equal(done.state, 'done', done.error ?? '');
      file = String(done.result?.file);
      const list = await editor.call<{ backups: { file: string; tables: number; rows: number }[] }>('GET', '/api/backups');
      const listed = list.backups.find((b) => b.file === file);
      assert.ok(listed, `${file} listed`);
      assert.ok(listed.rows >= 25);
      const s1 = await editor.call<{ count: number; stale: boolean; ageSeconds: number }>('GET', '/api/backups/status');
      assert.equal(s1.stale, false);
      assert.ok(s1.ageSeconds < 600);
    });

    it('downloads a listed backup, and only a listed one', async () => {
      const r = await editor.fetch(`/api/backups/download?file=${encodeURIComponent(file)}`);
      assert.equal(r.status, 200);
      assert.equal((await r.arrayBuffer()).byteLength, statSync(join(dir, file)).size);
      const escape = await editor.fetch(`/api/backups/download?file=${encodeURIComponent('../../package.json')}`);
      assert.equal(escape.status, 404);
    });

    it('checks a backup in a scratch database and reports the row counts', async () => {
      const job = await finished(editor, await editor.call<Job>('POST', '/api/backups/check', { file }));
      assert.equal(job.state, 'done', job.error ?? '');
      const r = job.result as { ok: boolean; tables: number; rows: number; differences: string[]; expected: Record<string, number> };
      assert.equal(r.ok, true, r.differences.join('; '));
      assert.equal(r.expected['public.backup_probe'], 25);
      assert.ok(r.tables > 0);
    });

    it('restores for owners only, behind the typed file name, and audits it', async () => {
      await f.api.sql('INSERT INTO public.backup_probe VALUES (1000)');
      const asEditor = await editor.fetch('/api/backups/restore', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ file, confirm: file }) });
      assert.equal(asEditor.status, 403);
      const unconfirmed = await f.client.fetch('/api/backups/restore', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ file, confirm: 'yes' }) });
      assert.equal(unconfirmed.status, 400);
      assert.match(await unconfirmed.text(), /type the backup's file name/);
      const job = await finished(f.client, await f.client.call<Job>('POST', '/api/backups/restore', { file, confirm: file }));
      assert.equal(job.state, 'done', job.error ?? '');
      assert.equal((job.result as { ok: boolean }).ok, true);
      const [row] = await f.api.sql('SELECT count(*)::int AS n FROM public.backup_probe');
      assert.equal(Number(row?.n), 25, 'the row written after the backup is gone');
      const audit = await f.client.call<{ entries: { action: string; ok: boolean; detail: string }[] }>('GET', '/api/audit?action=backup.');
      const actions = audit.entries.map((e) => e.action);
      for (const a of ['backup.start', 'backup.download', 'backup.check', 'backup.restore']) assert.ok(actions.includes(a), `${a} in ${actions.join()}`);
    });
  });
}
