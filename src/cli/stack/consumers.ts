// Which service of deploy/docker-compose.yml reads which file of ./secrets (a test keeps this in
// step with the compose file; overlays bring their own maps). Setup restarts running services whose
// files it had to change.
export const SERVICE_SECRET_FILES: Readonly<Record<string, readonly string[]>> = {
  postgres: ['postgres_user.txt', 'postgres_password.txt', 'postgres_db.txt', 'authenticator_scram.txt'],
  pgbouncer: ['pgbouncer_userlist.txt'],
  pesquel: ['pesquel_db_uri.txt', 'pesquel_db_listen_uri.txt', 'pesquel_admin_db_uri.txt', 'jwt_secret.txt', 'pesquel_admin_password.txt'],
  traefik: ['traefik_users.txt'],
  pgadmin: ['pgadmin_email.txt', 'pgadmin_password.txt', 'pgadmin_servers.json'],
};

/**
 * Running services that must restart to read changed files. PostgreSQL is not among them: setup
 * re-applies its passwords in place (postgres/99-pesquel-passwords.sh).
 */
export function servicesToRestart(
  changedFiles: readonly string[],
  running: readonly string[],
  overlays: ReadonlyArray<Readonly<Record<string, readonly string[]>>> = [],
): string[] {
  const reads = (service: string): string[] => [SERVICE_SECRET_FILES, ...overlays].flatMap((m) => m[service] ?? []);
  return [...new Set(running)].filter((service) => service !== 'postgres' && reads(service).some((f) => changedFiles.includes(f)));
}
