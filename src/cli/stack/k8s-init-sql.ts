// The SQL that CloudNativePG runs once in a new PeSquel database (deploy/kubernetes/cluster.yaml,
// postInitApplicationSQLRefs): PeSquel's internal migrations with their records, the seed, and the
// production defaults, in the order they must run, as one key of one ConfigMap (one exec: all or nothing).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { initScripts } from '../../db/init.js';

export const INIT_SQL_CONFIGMAP = 'pesquel-init-sql';
export const INIT_SQL_KEY = 'pesquel-init.sql';
const productionDir = fileURLToPath(new URL('../../../sql/production/', import.meta.url));

/** The scripts in the order they run: `[{ name: 'internal/0001-roles.sql', sql }, …, { name: 'production/01-anon-read-only.sql', sql }]` */
export function initSqlScripts(): Array<{ name: string; sql: string }> {
  const production = readdirSync(productionDir).filter((f) => f.endsWith('.sql')).sort()
    .map((f) => ({ name: `production/${f}`, sql: readFileSync(productionDir + f, 'utf8') }));
  return [...initScripts().map((s) => ({ name: s.name.includes('/') ? s.name : `init/${s.name}`, sql: s.sql })), ...production];
}

export function initSql(): string {
  return initSqlScripts().map((s) => `-- ${s.name}\n${s.sql.trimEnd()}\n`).join('\n');
}

const HEADER = `# Generated from sql/internal, sql/init and sql/production by
# \`npx tsx deploy/kubernetes/render-init-sql.ts\`; a test keeps it in step. Do not edit by hand.
`;

export function renderInitSqlConfigMap(): string {
  const data = { [INIT_SQL_KEY]: initSql() };
  const doc = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: INIT_SQL_CONFIGMAP, labels: { 'app.kubernetes.io/name': 'pesquel' } }, data };
  return HEADER + stringify(doc, { lineWidth: 0, blockQuote: 'literal' });
}
