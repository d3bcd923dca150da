// Checks the operations add-ons of the compose stack offline: the monitoring profile (Prometheus,
// Grafana, exporters), the scheduled-backup override, and that the dashboard and alerts only use
// metric names PeSquel (or an exporter) really exports.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parse } from 'yaml';
import { createMetrics } from '../../src/observability/metrics.js';

const deploy = fileURLToPath(new URL('../../deploy/', import.meta.url));
type Service = { profiles?: string[]; volumes?: string[]; secrets?: string[]; ports?: string[]; healthcheck?: unknown; networks?: string[]; build?: { context: string } };
const load = (p: string) => parse(readFileSync(join(deploy, p), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const main = load('docker-compose.yml') as unknown as { secrets: Record<string, unknown> };

describe('monitoring profile', () => {
  const compose = load('monitoring/docker-compose.monitoring.yml');
  it('puts every service behind the monitoring profile, with a healthcheck, on the backend network', () => {
    assert.deepEqual(Object.keys(compose.services).sort(), ['grafana', 'pgbouncer-exporter', 'postgres-exporter', 'prometheus']);
    for (const [name, s] of Object.entries(compose.services)) {
      assert.deepEqual(s.profiles, ['monitoring'], name);
      assert.ok(s.healthcheck, name);
      assert.deepEqual(s.networks, ['backend'], name);
      for (const p of s.ports ?? []) assert.match(p, /^127\.0\.0\.1:/, `${name} publishes on loopback only`);
      for (const sec of s.secrets ?? []) assert.ok(sec in main.secrets, `${name}: secret ${sec} is defined by the main file`);
    }
  });

  it('mounts files that exist (paths relative to deploy/)', () => {
    for (const s of Object.values(compose.services)) {
      for (const v of s.volumes ?? []) {
        const src = v.split(':')[0] ?? '';
        if (src.startsWith('.')) assert.ok(existsSync(join(deploy, src)), src);
      }
    }
  });

  it('scrapes PeSquel and both exporters', () => {
    const prom = parse(readFileSync(join(deploy, 'monitoring/prometheus.yml'), 'utf8')) as { scrape_configs: Array<{ static_configs: Array<{ targets: string[] }> }> };
    const targets = prom.scrape_configs.flatMap((c) => c.static_configs.flatMap((s) => s.targets));
    assert.deepEqual(targets, ['pesquel:3001', 'postgres-exporter:9187', 'pgbouncer-exporter:9127']);
  });

  it('the dashboard and the alerts use only metrics that exist', async () => {
    const m = createMetrics({ pool: () => ({ max: 1, total: 1, idle: 1, waiting: 0 }), lastBackupAt: async () => null });
    const ours = new Set((await m.registry.getMetricsAsJSON()).flatMap((x) => (String(x.type) === 'histogram' ? [`${x.name}_bucket`, `${x.name}_count`, `${x.name}_sum`] : [x.name])));
    const dashboard = JSON.parse(readFileSync(join(deploy, 'monitoring/grafana/dashboards/pesquel.json'), 'utf8')) as { panels: Array<{ targets: Array<{ expr: string }> }> };
    const exprs = [...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)), ...readFileSync(join(deploy, 'monitoring/alerts.yml'), 'utf8').split('\n').filter((l) => l.includes('expr:'))];
    for (const e of exprs) {
      for (const name of e.match(/\b(pgrst|pesquel)_[a-z_0-9]+/g) ?? []) assert.ok(ours.has(name), `${name} (in ${e.trim()}) is exported`);
    }
  });
});

describe('scheduled backups', () => {
  const compose = load('backup/docker-compose.backup.yml');
  it('runs pesquel backup on a schedule into a volume the API reads for /metrics', () => {
    const backup = compose.services.backup as Service & { environment: Record<string, string> };
    assert.equal(backup.build?.context, './backup');
    assert.ok(existsSync(join(deploy, 'backup/Dockerfile')));
    assert.match(readFileSync(join(deploy, 'backup/entrypoint.sh'), 'utf8'), /pesquel\.js backup --dir \/backups --every/);
    assert.deepEqual(backup.volumes, ['backups:/backups']);
    assert.equal(backup.environment.PESQUEL_DB_URI_FILE, '/run/secrets/admin_db_uri');
    assert.ok((backup.secrets ?? []).every((s) => s in main.secrets));
    const api = compose.services.pesquel as Service & { environment: Record<string, string> };
    assert.deepEqual(api.volumes, ['backups:/backups:ro']);
    assert.equal(api.environment.PESQUEL_BACKUP_DIR, '/backups');
  });
});
