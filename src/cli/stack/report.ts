// What setup prints at the end: the URLs, where the credentials are, and (only with
// --show-credentials) the credentials themselves.
import { join } from 'node:path';
import { readSecret } from './files.js';
import type { ApiDbRoute } from './compose.js';

export type ReportInput = {
  domain: string;
  httpPort: number;
  postgresPort: number;
  apiDb: ApiDbRoute;
  pgadmin: boolean;
  secretsDir: string;
  /** Host port of HTTPS when Traefik serves it (the URLs become https). */
  httpsPort?: number;
};

export function urls(r: ReportInput): Array<[string, string]> {
  const https = r.httpsPort !== undefined;
  const port = https ? (r.httpsPort === 443 ? '' : `:${r.httpsPort}`) : r.httpPort === 80 ? '' : `:${r.httpPort}`;
  const url = (sub: string): string => `${https ? 'https' : 'http'}://${sub}.${r.domain}${port}/`;
  const rows: Array<[string, string]> = [
    ['API', url('api')],
    ['Admin UI', url('admin')],
    ['Traefik', `${url('traefik')}  (user admin)`],
  ];
  if (r.pgadmin) rows.push(['pgAdmin', url('pgadmin')]);
  rows.push(['PostgreSQL', `127.0.0.1:${r.postgresPort} (direct); pgBouncer: pgbouncer:6432 on the 'web' network`]);
  return rows;
}

export function summaryLines(r: ReportInput): string[] {
  const via = r.apiDb === 'pgbouncer' ? 'through pgBouncer (transaction pooling)' : 'directly to PostgreSQL';
  return [
    `PeSquel is up; the API sends its queries ${via}.`,
    ...urls(r).map(([name, value]) => `  ${name.padEnd(11)} ${value}`),
    `Credentials: ${r.secretsDir} (one value per file; \`pesquel setup --show-credentials\` prints them).`,
  ];
}

const CREDENTIALS: Array<[string, string]> = [
  ['PostgreSQL user', 'postgres_user.txt'],
  ['PostgreSQL password', 'postgres_password.txt'],
  ['PostgreSQL database', 'postgres_db.txt'],
  ['authenticator password', 'authenticator_password.txt'],
  ['JWT secret', 'jwt_secret.txt'],
  ['Admin UI password', 'pesquel_admin_password.txt'],
  ['Traefik password', 'traefik_dashboard_password.txt'],
  ['pgAdmin e-mail', 'pgadmin_email.txt'],
  ['pgAdmin password', 'pgadmin_password.txt'],
];

/** Only called for --show-credentials. */
export function credentialLines(dir: string): string[] {
  return [
    'Credentials (keep them private):',
    ...CREDENTIALS.map(([label, file]) => `  ${label.padEnd(23)} ${readSecret(join(dir, file), file)}`),
  ];
}
