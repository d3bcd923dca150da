// Setup's scale-out step: records the scale, writes the replicas' secrets and pgBouncer databases and
// (for several API containers on plain HTTP) Traefik's generated routes, and names the overlays, hooks and services
// that come with it. HTTPS writes its own generated routes (tls-setup.ts) with the same instances.
import { generatedTraefikOverlayPath, replicasOverlayPath } from './paths.js';
import { PGBOUNCER_REPLICAS_INI, writePgbouncerReplicasIni } from './pgbouncer-replicas.js';
import { REPLICA_SERVICE_SECRET_FILES, writeReplicationFiles } from './replication.js';
import { writeScale } from './scale.js';
import type { Scale } from './scale.js';
import { writeTraefikConfig } from './tls-files.js';
import { traefikConfigDir } from './tls.js';
import type { TlsSettings } from './tls.js';
import type { ApiDbRoute } from './compose.js';
import type { PrimaryValues } from './secrets.js';

export const REPLICATION_HOOK = '/docker-entrypoint-initdb.d/20-pesquel-replication.sh';
export const REPLICA_SERVICES = ['postgres-replica', 'pgbouncer-replicas'] as const;

export type ScaleInput = {
  stackDir: string;
  secretsDir: string;
  domain: string;
  tls: TlsSettings;
  apiDb: ApiDbRoute;
  scale: Scale;
  values: PrimaryValues;
};

export type ScaleStep = {
  overlays: string[];
  /** Secret files created or rewritten (services reading them restart). */
  changedFiles: string[];
  /** Which service reads which of those files. */
  consumers: Readonly<Record<string, readonly string[]>>;
  restartTraefik: boolean;
  /** Extra services to wait for. */
  services: string[];
  lines: string[];
};

export function prepareScale(i: ScaleInput): ScaleStep {
  const consumers = { ...REPLICA_SERVICE_SECRET_FILES, 'pgbouncer-replicas': [PGBOUNCER_REPLICAS_INI] };
  const step: ScaleStep = { overlays: [], changedFiles: [], consumers, restartTraefik: false, services: [], lines: [] };
  if (writeScale(i.secretsDir, i.scale)) step.lines.push(`Recorded the scale in ${i.secretsDir}/scale.json (later runs keep it).`);
  if (i.tls.mode === 'off' && i.scale.apiInstances > 1) {
    const changed = writeTraefikConfig(traefikConfigDir(i.stackDir), { domain: i.domain, tls: i.tls, httpsPort: 443, apiInstances: i.scale.apiInstances });
    step.overlays.push(generatedTraefikOverlayPath());
    step.restartTraefik = changed.length > 0;
  }
  if (i.scale.pgReplicas > 0) {
    const files = writeReplicationFiles(i.secretsDir, i.values, i.scale.pgReplicas, i.apiDb);
    step.changedFiles.push(...files.created, ...files.changed);
    if (writePgbouncerReplicasIni(i.stackDir, i.scale.pgReplicas, i.values.postgresDb)) step.changedFiles.push(PGBOUNCER_REPLICAS_INI);
    step.overlays.push(replicasOverlayPath());
    step.services.push(...REPLICA_SERVICES);
  }
  if (i.scale.apiInstances > 1 || i.scale.pgReplicas > 0) step.lines.push(scaleLine(i.scale, i.apiDb));
  return step;
}

export function scaleLine(s: Scale, apiDb: ApiDbRoute): string {
  const api = `${s.apiInstances} PeSquel container${s.apiInstances === 1 ? '' : 's'}${s.apiInstances > 1 ? ' behind Traefik (round robin, health-checked on /ready)' : ''}`;
  if (s.pgReplicas === 0) return `Scale: ${api}; no PostgreSQL replicas.`;
  const via = apiDb === 'pgbouncer' ? 'through pgbouncer-replicas (a pool per replica)' : 'directly';
  return `Scale: ${api}; ${s.pgReplicas} streaming replica${s.pgReplicas === 1 ? '' : 's'} of PostgreSQL, read ${via}.`;
}
