// Backups and restores: retention; embedded backup taken by the running server, restore check,
// restore into a new embedded data dir; embedded → PostgreSQL; PostgreSQL → PostgreSQL (pg_dump
// custom format). Every restored database must give the same API answers as the original.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { applyRetention, listBackups, writeManifest, type Manifest } from '../../src/backup/manifest.js';
import { loadConfig } from '../../src/config/config.js';
import { initScripts } from '../../src/db/init.js';
import { startPesquel, type Running } from '../../src/http/main.js';
import { createLogger } from '../../src/observability/logger.js';
import { startTestApi, type TestApi } from '../helpers/backends.js';
import { pgBinariesAvailable, startPostgres, type PgServer } from '../helpers/postgres-server.js';
import { pesquel, startPesquelCli } from './cli.js';
import { freePort } from './free-port.js';
import { metricValue, parseMetrics } from './metrics-text.js';

const data = `
INSERT INTO api.todos (title, completed, created_at) VALUES
  ('buy milk', false, '2026-01-01T10:00:00Z'), ('it''s "quoted"', true, '2026-01-02T10:00:00Z'), ('naïve ☃', false, '2026-01-03T10:00:00Z');
CREATE TABLE api.kinds (
  id serial PRIMARY KEY, n numeric(10,2), tags text[], doc jsonb, at timestamptz, note text, flag boolean
);
INSERT INTO api.kinds (n, tags, doc, at, note, flag) VALUES
  (1.5, '{a,b}', '{"x": [1, 2, {"y": null}]}', '2026-02-03T04:05:06.789Z', E'line\\nbreak', true),
  (NULL, '{}', 'null', NULL, NULL, NULL),
  (-3.25, '{"with space","quo\\"te"}', '{"s": "\\u00e9"}', '1999-12-31T23:59:59Z', '', false);
GRANT SELECT ON api.kinds TO api_anon;
NOTIFY pgrst, 'reload schema';
`;
const paths = ['/todos?select=title,completed,created_at&order=created_at', '/kinds?order=id', '/kinds?select=id,doc->x&tags=cs.{a}'];
const password = 'authenticator-backup-test';

async function answers(base: string): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const r = await fetch(base + p);
    out.push(`${r.status} ${await r.text()}`);
  }
  return out;
}

function newestBackup(dir: string, ext: string): string {
  const m = listBackups(dir).find((b) => b.file.endsWith(ext));
  assert.ok(m, `no ${ext} backup in ${dir}: ${readdirSync(dir).join(', ')}`);
  return join(dir, m.file);
}

async function startOn(flags: Record<string, string>): Promise<Running> {
  const config = loadConfig({ flags: { 'server-port': '0', 'admin-server-port': '0', 'admin-ui-port': '0', 'embedded-psql-port': '0', 'log-level': 'crit', ...flags } });
  return startPesquel(config, { logger: createLogger('crit') });
}

async function freshPostgres(): Promise<PgServer> {
  // As the compose stack's database comes up: init SQL applied, authenticator with a password.
  const server = await startPostgres();
  const c = new pg.Client({ connectionString: server.superUrl });
  await c.connect();
  for (const s of initScripts()) await c.query(s.sql);
  await c.query(`ALTER ROLE authenticator PASSWORD '${password}'`);
  await c.end();
  return server;
}

describe('backup retention', () => {
  it('keeps the N newest, drops those past the age limit, never the newest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pesquel-retention-'));
    const day = 86_400_000;
    const now = Date.parse('2026-06-01T00:00:00Z');
    for (const age of [0, 1, 2, 3, 40]) {
      const file = `pesquel-pglite-${age}.sql.gz`;
      writeFileSync(join(dir, file), 'x');
      writeManifest(dir, { format: 'pesquel-backup/1', file, kind: 'sql-gzip', source: 'pglite', serverVersion: '17', createdAt: new Date(now - age * day).toISOString(), bytes: 1, sha256: '', rolesSql: '', rowCounts: {} } satisfies Manifest);
    }
    writeFileSync(join(dir, 'unrelated.sql.gz'), 'keep me');
    assert.deepEqual(applyRetention(dir, 10, 30, now), ['pesquel-pglite-40.sql.gz']);
    assert.deepEqual(applyRetention(dir, 2, 0, now), ['pesquel-pglite-2.sql.gz', 'pesquel-pglite-3.sql.gz']);
    assert.deepEqual(applyRetention(dir, 5, 1, now + 100 * day), ['pesquel-pglite-1.sql.gz']);
    assert.deepEqual(listBackups(dir).map((m) => m.file), ['pesquel-pglite-0.sql.gz']);
    assert.ok(existsSync(join(dir, 'unrelated.sql.gz')));
    rmSync(dir, { recursive: true });
  });
});

describe('backup and restore round trips', () => {
  let api: TestApi;
  let work: string;
  let backups: string;
  let original: string[];
  let sqlBackup: string;
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'pesquel-backup-test-'));
    backups = join(work, 'backups');
    api = await startTestApi('pglite', { options: { 'backup-dir': backups, 'admin-server-port': String(await freePort()) } });
    await api.running.db.withConnection((c) => c.exec(data));
    await api.reload();
    original = await answers(api.url);
    assert.ok(original.every((a) => a.startsWith('200 ')), original.join('\n'));
  });
  after(async () => {
    await api?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('backs up the embedded database through the running server; /metrics shows its age', async () => {
    const scrape = async () => parseMetrics(await (await fetch(`${api.running.adminUrl}/metrics`)).text());
    assert.ok(Number.isNaN(metricValue(await scrape(), 'pesquel_backup_age_seconds')));
    const r = await pesquel(['backup', '--data-dir', api.config.dataDir, '--dir', backups], { cwd: work });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Backup written: .*pesquel-pglite-\d{8}T\d{6}\.\d{3}Z\.sql\.gz/);
    sqlBackup = newestBackup(backups, '.sql.gz');
    const m = listBackups(backups)[0] as Manifest;
    assert.equal(m.rowCounts['api.todos'], 3);
    assert.equal(m.rowCounts['api.kinds'], 3);
    assert.match(m.serverVersion, /^17\./);
    const age = metricValue(await scrape(), 'pesquel_backup_age_seconds') ?? NaN;
    assert.ok(age >= 0 && age < 120, String(age));
    const after = await api.fetch('/todos');
    assert.equal(after.status, 200, await after.clone().text()); // the API kept serving
    const list = await pesquel(['backup', '--list', '--dir', backups], { cwd: work });
    assert.match(list.stdout, /pesquel-pglite-.*\.sql\.gz .* tables, \d+ rows/);
  });

  it('backs up on a schedule with --every, applies retention, and --stale-after checks the age', async () => {
    const dir = join(work, 'scheduled');
    const stale = await pesquel(['backup', '--list', '--dir', dir, '--stale-after', '1h'], { cwd: work });
    assert.equal(stale.code, 1, 'no backup at all is stale');
    const p = startPesquelCli(['backup', '--data-dir', api.config.dataDir, '--dir', dir, '--every', '1s', '--keep', '2'], { cwd: work });
    const deadline = Date.now() + 90_000;
    while ((p.stdout().match(/^Backup written:/gm) ?? []).length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    p.child.kill('SIGTERM');
    const r = await p.done;
    assert.equal(r.code, 0, r.stderr);
    assert.ok((r.stdout.match(/^Backup written:/gm) ?? []).length >= 3, r.stdout);
    assert.match(r.stdout, /^Removed old backup pesquel-pglite-/m);
    assert.equal(listBackups(dir).length, 2);
    const fresh = await pesquel(['backup', '--list', '--dir', dir, '--stale-after', '1h'], { cwd: work });
    assert.equal(fresh.code, 0, fresh.stderr);
  });

  it('the restore check restores into a scratch database and compares row counts', async () => {
    const r = await pesquel(['restore', '--check', sqlBackup], { cwd: work });
    assert.equal(r.code, 0, r.stderr);
    // Counts grow with the init SQL and PeSquel's internal migrations: what matters is that each one matches.
    assert.match(r.stdout, /Restore check passed: \d+ tables, \d+ rows, every count as in the backup/);
  });

  it('refuses to restore into the data directory of the running server', async () => {
    const r = await pesquel(['restore', sqlBackup, '--data-dir', api.config.dataDir, '--yes'], { cwd: work });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /is serving .*; stop it before restoring into it/);
  });

  it('restores into a new embedded data dir with the same API answers; replacing data needs --yes', async () => {
    const dataDir = join(work, 'restored-data');
    const r = await pesquel(['restore', sqlBackup, '--data-dir', dataDir], { cwd: work });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Restore check passed/);
    const again = await pesquel(['restore', sqlBackup, '--data-dir', dataDir], { cwd: work });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /holds data; pass --yes/);
    const replaced = await pesquel(['restore', sqlBackup, '--data-dir', dataDir, '--yes'], { cwd: work });
    assert.equal(replaced.code, 0, replaced.stderr);
    const running = await startOn({ 'data-dir': dataDir });
    try {
      assert.deepEqual(await answers(running.apiUrl), original);
    } finally {
      await running.close();
    }
  });

  describe('to and between PostgreSQL servers', { skip: !pgBinariesAvailable() && 'no PostgreSQL binaries' }, () => {
    let first: PgServer;
    let second: PgServer;
    before(async () => {
      [first, second] = await Promise.all([freshPostgres(), freshPostgres()]);
    });
    after(async () => {
      await Promise.all([first?.stop(), second?.stop()]);
    });

    it('moves the embedded database to PostgreSQL: same API answers', async () => {
      const r = await pesquel(['restore', sqlBackup, '--db-url', first.superUrl], { cwd: work });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Restore check passed/);
      const running = await startOn({ 'db-uri': first.url('authenticator', password), 'db-init': 'false' });
      try {
        assert.deepEqual(await answers(running.apiUrl), original);
      } finally {
        await running.close();
      }
    });

    it('backs up PostgreSQL with pg_dump (custom format), checks it and restores it elsewhere', async () => {
      const b = await pesquel(['backup', '--db-url', first.superUrl, '--dir', backups], { cwd: work });
      assert.equal(b.code, 0, b.stderr);
      const dump = newestBackup(backups, '.dump');
      const check = await pesquel(['restore', '--check', dump, '--db-url', first.superUrl], { cwd: work });
      assert.equal(check.code, 0, check.stderr);
      assert.match(check.stdout, /Restore check passed/);
      const r = await pesquel(['restore', dump, '--db-url', second.superUrl], { cwd: work });
      assert.equal(r.code, 0, r.stderr);
      const running = await startOn({ 'db-uri': second.url('authenticator', password), 'db-init': 'false' });
      try {
        assert.deepEqual(await answers(running.apiUrl), original);
      } finally {
        await running.close();
      }
      // Custom-format dumps need PostgreSQL: a clear refusal for the embedded database.
      const embedded = await pesquel(['restore', dump, '--data-dir', join(work, 'other-data')], { cwd: work });
      assert.equal(embedded.code, 1);
      assert.match(embedded.stderr, /restores into PostgreSQL only/);
    });
  });
});
