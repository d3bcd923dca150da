// Files derived from the primary secrets: pgBouncer's SCRAM userlist (and the same SCRAM secret for
// PostgreSQL), PeSquel's connection URIs (API, LISTEN, admin UI), Traefik's htpasswd, pgAdmin's server entry. Rewritten only
// when they no longer match their sources, so a second `setup` changes nothing.
import { join } from 'node:path';
import { createFile, readIfExists, replaceFile } from './files.js';
import { htpasswdLine, htpasswdMatches } from './htpasswd.js';
import { scramMatches, scramSecret } from './scram.js';
import type { PrimaryValues } from './secrets.js';

export const TRAEFIK_USER = 'admin';

export const DERIVED_FILES = [
  'authenticator_scram.txt',
  'pgbouncer_userlist.txt',
  'pesquel_db_uri.txt',
  'pesquel_db_listen_uri.txt',
  'pesquel_admin_db_uri.txt',
  'traefik_users.txt',
  'pgadmin_servers.json',
] as const;

/** Keeps git from ever adding anything in secrets/, whatever the repository's .gitignore says. */
export const SECRETS_GITIGNORE = '.gitignore';

export function dbUri(v: PrimaryValues, host: string, port: number): string {
  const pw = encodeURIComponent(v.authenticatorPassword);
  return `postgres://authenticator:${pw}@${host}:${port}/${encodeURIComponent(v.postgresDb)}`;
}

/** The admin UI manages the database (SQL editor, object browser): it connects as the superuser, directly. */
export function adminDbUri(v: PrimaryValues): string {
  const user = encodeURIComponent(v.postgresUser);
  return `postgres://${user}:${encodeURIComponent(v.postgresPassword)}@postgres:5432/${encodeURIComponent(v.postgresDb)}`;
}

export function pgadminServers(v: PrimaryValues): string {
  const server = {
    Name: 'PeSquel (PostgreSQL 17)',
    Group: 'PeSquel',
    Host: 'postgres',
    Port: 5432,
    MaintenanceDB: v.postgresDb,
    Username: v.postgresUser,
    SSLMode: 'prefer',
  };
  return `${JSON.stringify({ Servers: { '1': server } }, null, 2)}\n`;
}

/** Brings every derived file in line with `v`; returns the names of the files it wrote. */
export function writeDerivedFiles(dir: string, v: PrimaryValues): string[] {
  const changed: string[] = [];
  const put = (name: string, content: string): void => {
    if (replaceFile(join(dir, name), content)) changed.push(name);
  };

  const oldScram = readIfExists(join(dir, 'authenticator_scram.txt'))?.trim();
  const scram = oldScram !== undefined && scramMatches(oldScram, v.authenticatorPassword) ? oldScram : scramSecret(v.authenticatorPassword);
  put('authenticator_scram.txt', scram);
  put('pgbouncer_userlist.txt', `"authenticator" "${scram}"\n`);

  put('pesquel_db_uri.txt', dbUri(v, 'pgbouncer', 6432));
  put('pesquel_db_listen_uri.txt', dbUri(v, 'postgres', 5432));
  put('pesquel_admin_db_uri.txt', adminDbUri(v));

  const oldUsers = readIfExists(join(dir, 'traefik_users.txt'))?.trim();
  const users = oldUsers !== undefined && htpasswdMatches(oldUsers, TRAEFIK_USER, v.traefikPassword) ? oldUsers : htpasswdLine(TRAEFIK_USER, v.traefikPassword);
  put('traefik_users.txt', `${users}\n`);

  put('pgadmin_servers.json', pgadminServers(v));
  createFile(join(dir, SECRETS_GITIGNORE), '# Written by `pesquel setup`: nothing in this folder belongs in git.\n*\n');
  return changed;
}
