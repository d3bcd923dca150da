// Validates deploy/kubernetes offline: every Kubernetes object against the Kubernetes API schemas
// (kubernetes-models), the CloudNativePG Cluster against the vendored CRD schema excerpt (ajv), and
// the wiring between them (probes, Secrets, Services, HPA target, -rw/-ro URIs, init SQL in step).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Service } from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';
import { INIT_SQL_CONFIGMAP, INIT_SQL_KEY, renderInitSqlConfigMap } from '../../src/cli/stack/k8s-init-sql.js';
import { deployDir } from '../../src/cli/stack/paths.js';

type Obj = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> }; spec?: Record<string, unknown>; data?: Record<string, string> };
type Container = {
  name: string; image: string; ports: Array<{ name: string; containerPort: number }>;
  env: Array<{ name: string; value?: string; valueFrom?: unknown }>;
  volumeMounts: Array<{ name: string; mountPath: string }>;
  livenessProbe: { httpGet: { path: string; port: string } }; readinessProbe: { httpGet: { path: string; port: string } };
  startupProbe: { httpGet: { path: string; port: string } };
  securityContext: { allowPrivilegeEscalation: boolean; readOnlyRootFilesystem: boolean };
  resources: { requests: { cpu: string } };
};
type PodSpec = { containers: Container[]; volumes: Array<{ name: string; secret?: { secretName: string } }>; securityContext: { runAsNonRoot: boolean; runAsUser: number } };

const dir = join(deployDir(), 'kubernetes');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
const objects: Array<{ file: string; obj: Obj }> = files.filter((f) => f !== 'kustomization.yaml').flatMap((file) =>
  parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((d) => {
    assert.deepEqual(d.errors, [], file);
    return { file, obj: d.toJS() as Obj };
  }));
const find = (kind: string, name: string): Obj => {
  const o = objects.find((x) => x.obj.kind === kind && x.obj.metadata.name === name)?.obj;
  assert.ok(o, `${kind} ${name} is defined`);
  return o;
};

const MODELS: Record<string, (o: Obj) => { validate(): void }> = {
  'apps/v1 Deployment': (o) => new Deployment(o as never),
  'v1 Service': (o) => new Service(o as never),
  'v1 ConfigMap': (o) => new ConfigMap(o as never),
  'autoscaling/v2 HorizontalPodAutoscaler': (o) => new HorizontalPodAutoscaler(o as never),
  'policy/v1 PodDisruptionBudget': (o) => new PodDisruptionBudget(o as never),
};
const clusterSchema = JSON.parse(readFileSync(new URL('../fixtures/k8s-schemas/postgresql.cnpg.io/cluster_v1.excerpt.json', import.meta.url), 'utf8')) as object;
const validateCluster = new Ajv({ allErrors: true, strict: false }).compile(clusterSchema);

describe('deploy/kubernetes: schemas', () => {
  it('kustomization.yaml lists every manifest, and only those', () => {
    const k = parseAllDocuments(readFileSync(join(dir, 'kustomization.yaml'), 'utf8'))[0]?.toJS() as { kind: string; resources: string[] };
    assert.equal(k.kind, 'Kustomization');
    assert.deepEqual([...k.resources].sort(), files.filter((f) => f !== 'kustomization.yaml'));
  });

  for (const { file, obj } of objects) {
    it(`${file}: ${obj.apiVersion} ${obj.kind} ${obj.metadata.name} is valid`, () => {
      if (obj.kind === 'Cluster') {
        assert.equal(obj.apiVersion, 'postgresql.cnpg.io/v1');
        assert.ok(validateCluster(obj), JSON.stringify(validateCluster.errors, null, 1));
        return;
      }
      const model = MODELS[`${obj.apiVersion} ${obj.kind}`];
      assert.ok(model, `a known kind (no Secret with values is shipped): ${obj.apiVersion} ${obj.kind}`);
      model(obj).validate();
    });
  }

  it('the validators refuse what they should (a wrong type, a missing field, an unknown Cluster field)', () => {
    const deployment = structuredClone(find('Deployment', 'pesquel'));
    (deployment.spec as { replicas: unknown }).replicas = 'two';
    assert.throws(() => new Deployment(deployment as never).validate());
    const hpa = structuredClone(find('HorizontalPodAutoscaler', 'pesquel'));
    delete (hpa.spec as { maxReplicas?: unknown }).maxReplicas;
    assert.throws(() => new HorizontalPodAutoscaler(hpa as never).validate());
    const cluster = structuredClone(find('Cluster', 'pesquel-db'));
    (cluster.spec as Record<string, unknown>).instanses = 3;
    assert.equal(validateCluster(cluster), false);
    const roles = structuredClone(find('Cluster', 'pesquel-db'));
    ((roles.spec as { managed: { roles: Array<Record<string, unknown>> } }).managed.roles[0] ?? {}).ensure = 'maybe';
    assert.equal(validateCluster(roles), false);
  });
});

describe('deploy/kubernetes: wiring', () => {
  const deployment = find('Deployment', 'pesquel');
  const pod = (deployment.spec as { template: { metadata: { labels: Record<string, string> }; spec: PodSpec } }).template;
  const container = pod.spec.containers[0] as Container;
  const cluster = find('Cluster', 'pesquel-db');
  const spec = cluster.spec as {
    instances: number; imageName: string; enableSuperuserAccess: boolean; superuserSecret: { name: string };
    bootstrap: { initdb: { database: string; postInitApplicationSQLRefs: { configMapRefs: Array<{ name: string; key: string }> } } };
    managed: { roles: Array<{ name: string; superuser: boolean; inherit: boolean; login: boolean; inRoles: string[]; passwordSecret: { name: string } }> };
  };

  it('probes: liveness /live, readiness /ready, both on the admin port 3001', () => {
    const port = container.ports.find((p) => p.name === container.livenessProbe.httpGet.port)?.containerPort;
    assert.equal(port, 3001);
    assert.equal(container.livenessProbe.httpGet.path, '/live');
    assert.equal(container.startupProbe.httpGet.path, '/live');
    assert.deepEqual(container.readinessProbe.httpGet, { path: '/ready', port: 'health' });
    const env = Object.fromEntries(container.env.map((e) => [e.name, e.value]));
    assert.equal(env.PESQUEL_ADMIN_SERVER_PORT, '3001');
    assert.equal(env.PESQUEL_SERVER_HOST, '0.0.0.0', 'probes reach the admin server from outside the container');
  });

  it('secrets: every credential is a _FILE under the mounted pesquel Secret, never a value in the environment', () => {
    const mount = container.volumeMounts.find((m) => m.name === 'secrets')?.mountPath;
    assert.equal(mount, '/run/secrets/pesquel');
    assert.equal(pod.spec.volumes.find((v) => v.name === 'secrets')?.secret?.secretName, 'pesquel');
    const files = container.env.filter((e) => e.name.endsWith('_FILE'));
    assert.deepEqual(files.map((e) => e.name).sort(), [
      'PESQUEL_ADMIN_DB_URI_FILE', 'PESQUEL_ADMIN_PASSWORD_FILE', 'PESQUEL_DB_REPLICA_URIS_FILE', 'PESQUEL_DB_URI_FILE', 'PESQUEL_JWT_SECRET_FILE',
    ]);
    for (const e of files) assert.match(e.value ?? '', /^\/run\/secrets\/pesquel\/[a-z-]+$/);
    for (const e of container.env) {
      if (/(PASSWORD|SECRET|URI|URIS)$/.test(e.name)) assert.fail(`${e.name} must be a _FILE`);
      assert.doesNotMatch(e.value ?? '', /:\/\/[^/\s]*:[^/\s]*@/);
    }
  });

  it('hardening: non-root, read-only root filesystem, no privilege escalation, CPU requests for the autoscaler', () => {
    assert.equal(pod.spec.securityContext.runAsNonRoot, true);
    assert.notEqual(pod.spec.securityContext.runAsUser, 0);
    assert.equal(container.securityContext.readOnlyRootFilesystem, true);
    assert.equal(container.securityContext.allowPrivilegeEscalation, false);
    assert.ok(container.resources.requests.cpu);
  });

  it('services select the pods; the API has no affinity, the admin UI sticks to a pod', () => {
    const labels = pod.metadata.labels;
    for (const name of ['pesquel', 'pesquel-admin']) {
      const s = find('Service', name).spec as { selector: Record<string, string>; sessionAffinity?: string; ports: Array<{ targetPort: string }> };
      for (const [k, v] of Object.entries(s.selector)) assert.equal(labels[k], v, `${name} selects ${k}`);
      for (const p of s.ports) assert.ok(container.ports.some((c) => c.name === p.targetPort), `${name} → ${p.targetPort}`);
    }
    assert.equal((find('Service', 'pesquel').spec as { sessionAffinity?: string }).sessionAffinity, undefined);
    assert.equal((find('Service', 'pesquel-admin').spec as { sessionAffinity?: string }).sessionAffinity, 'ClientIP');
  });

  it('the HorizontalPodAutoscaler (autoscaling/v2) scales this Deployment on CPU', () => {
    const hpa = find('HorizontalPodAutoscaler', 'pesquel');
    assert.equal(hpa.apiVersion, 'autoscaling/v2');
    const s = hpa.spec as { scaleTargetRef: { kind: string; name: string; apiVersion: string }; minReplicas: number; maxReplicas: number; metrics: Array<{ resource: { name: string } }> };
    assert.deepEqual(s.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'pesquel' });
    assert.ok(s.minReplicas >= 2 && s.maxReplicas > s.minReplicas);
    assert.equal(s.metrics[0]?.resource.name, 'cpu');
    const pdb = find('PodDisruptionBudget', 'pesquel').spec as { selector: { matchLabels: Record<string, string> } };
    for (const [k, v] of Object.entries(pdb.selector.matchLabels)) assert.equal(pod.metadata.labels[k], v);
  });

  it('the Cluster: 1 primary + 2 replicas of PostgreSQL 17, a non-superuser authenticator with the right memberships', () => {
    assert.equal(spec.instances, 3);
    assert.match(spec.imageName, /^ghcr\.io\/cloudnative-pg\/postgresql:17(\.|$)/);
    assert.equal(spec.enableSuperuserAccess, true);
    assert.equal(spec.superuserSecret.name, 'pesquel-db-superuser');
    const auth = spec.managed.roles.find((r) => r.name === 'authenticator');
    assert.ok(auth);
    assert.deepEqual({ superuser: auth.superuser, inherit: auth.inherit, login: auth.login }, { superuser: false, inherit: false, login: true });
    assert.deepEqual(auth.inRoles, ['api_anon', 'api_user']);
    assert.equal(auth.passwordSecret.name, 'pesquel-db-authenticator');
  });

  it('the init SQL ConfigMap is referenced by the Cluster and in step with sql/ (else run deploy/kubernetes/render-init-sql.ts)', () => {
    assert.deepEqual(spec.bootstrap.initdb.postInitApplicationSQLRefs.configMapRefs, [{ name: INIT_SQL_CONFIGMAP, key: INIT_SQL_KEY }]);
    assert.ok(find('ConfigMap', INIT_SQL_CONFIGMAP).data?.[INIT_SQL_KEY]);
    // A short message rather than a diff of the whole SQL: every change under sql/ needs a new rendering.
    assert.ok(readFileSync(join(dir, 'init-sql.yaml'), 'utf8') === renderInitSqlConfigMap(),
      'deploy/kubernetes/init-sql.yaml is stale (sql/ changed): run `npx tsx deploy/kubernetes/render-init-sql.ts` and commit it');
  });
});
