// Writes deploy/kubernetes/init-sql.yaml from the bundled SQL: `npx tsx deploy/kubernetes/render-init-sql.ts`.
import { writeFileSync } from 'node:fs';
import { renderInitSqlConfigMap } from '../../src/cli/stack/k8s-init-sql.js';

writeFileSync(new URL('./init-sql.yaml', import.meta.url), renderInitSqlConfigMap());
