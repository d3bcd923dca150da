// The credentials `pesquel setup` generates into ./secrets (the seed's files plus PeSquel's own):
// each is created once, owner-only, and never overwritten or printed unless asked.
import { join } from 'node:path';
import { CliError } from '../cli-error.js';
import { createFile, readSecret, restrictMode } from './files.js';
import { randomAlphanumeric } from './random.js';

export type SecretContext = { domain: string };

type Spec = { file: string; label: string; make: (c: SecretContext) => string };

export const PRIMARY_SECRETS: readonly Spec[] = [
  { file: 'postgres_user.txt', label: 'PostgreSQL superuser', make: () => 'pesquel' },
  { file: 'postgres_password.txt', label: 'PostgreSQL superuser password', make: () => randomAlphanumeric(32) },
  { file: 'postgres_db.txt', label: 'PostgreSQL database', make: () => 'pesquel' },
  { file: 'pgadmin_email.txt', label: 'pgAdmin e-mail', make: (c) => `admin@${c.domain}` },
  { file: 'pgadmin_password.txt', label: 'pgAdmin password', make: () => randomAlphanumeric(24) },
  { file: 'jwt_secret.txt', label: 'JWT secret (HS256)', make: () => randomAlphanumeric(64) },
  { file: 'authenticator_password.txt', label: 'authenticator password', make: () => randomAlphanumeric(32) },
  { file: 'pesquel_admin_password.txt', label: 'PeSquel admin UI password', make: () => randomAlphanumeric(24) },
  { file: 'traefik_dashboard_password.txt', label: 'Traefik dashboard password (user admin)', make: () => randomAlphanumeric(24) },
];

export type PrimaryValues = {
  postgresUser: string;
  postgresPassword: string;
  postgresDb: string;
  pgadminEmail: string;
  authenticatorPassword: string;
  traefikPassword: string;
};

export type EnsureResult = { created: string[]; kept: string[]; tightened: string[] };

/** Creates the missing secrets; existing ones are kept as they are (only their mode is tightened). */
export function ensurePrimarySecrets(dir: string, ctx: SecretContext): EnsureResult {
  const result: EnsureResult = { created: [], kept: [], tightened: [] };
  for (const spec of PRIMARY_SECRETS) {
    const path = join(dir, spec.file);
    if (createFile(path, spec.make(ctx))) {
      result.created.push(spec.file);
    } else {
      result.kept.push(spec.file);
      if (restrictMode(path)) result.tightened.push(spec.file);
    }
  }
  return result;
}

/** Reads the values that derived files and the init hook need, rejecting ones that would break SQL. */
export function readPrimaryValues(dir: string): PrimaryValues {
  const read = (file: string): string => readSecret(join(dir, file), file);
  const values: PrimaryValues = {
    postgresUser: read('postgres_user.txt'),
    postgresPassword: read('postgres_password.txt'),
    postgresDb: read('postgres_db.txt'),
    pgadminEmail: read('pgadmin_email.txt'),
    authenticatorPassword: read('authenticator_password.txt'),
    traefikPassword: read('traefik_dashboard_password.txt'),
  };
  for (const [file, value] of [['postgres_password.txt', values.postgresPassword], ['authenticator_password.txt', values.authenticatorPassword]] as const) {
    if (/['\s]/.test(value)) throw new CliError(`secrets/${file} contains a quote or whitespace; use letters, digits and punctuation other than ' only.`);
  }
  if (/[^\x21-\x7e]/.test(values.authenticatorPassword)) {
    throw new CliError('secrets/authenticator_password.txt must be printable ASCII (it is hashed for SCRAM without SASLprep).');
  }
  return values;
}
