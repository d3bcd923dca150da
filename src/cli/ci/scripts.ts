// The shell commands of a generated pipeline, the same for GitHub and GitLab: apply the migrations,
// check them on the previous commit's schema, deploy over SSH. POSIX sh; each provider runs them with -e.
import type { CiSettings } from './settings.js';

/** The job's PostgreSQL service: superuser `postgres`, database `app` (not a secret: a throwaway server). */
export const SERVICE_DB = { user: 'postgres', password: 'postgres', database: 'app', port: 5432 } as const;

export function serviceDbUri(host: string): string {
  const d = SERVICE_DB;
  return `postgres://${d.user}:${d.password}@${host}:${d.port}/${d.database}`;
}

/** `pesquel migrate` as the service's superuser: it creates PeSquel's roles (db-init) before the migrations. */
export function migrateCommand(s: CiSettings, dir = s.migrationsDir): string {
  return `npx pesquel migrate --dir ${dir} --db-url "$PESQUEL_DB_URI"`;
}

export const INSTALL_COMMAND = 'npm ci --no-audit --no-fund';
export const TEST_COMMAND = 'npm test';

/**
 * The migrations of the base commit (MIGRATIONS_BASE_SHA, else HEAD^) on an empty database, then this
 * commit's on top: fails when a migration that was already applied somewhere was edited, removed or
 * renamed, or a new one sorts before it. Needs the whole history (a full clone).
 */
export function upgradeScript(s: CiSettings): string {
  return `base="\${MIGRATIONS_BASE_SHA:-}"
if [ -n "$base" ] && ! git cat-file -e "$base^{commit}" 2>/dev/null; then base=""; fi
if [ -z "$base" ]; then base=$(git rev-parse --verify --quiet 'HEAD^' || true); fi
if [ -z "$base" ]; then
  echo "No previous commit: nothing to upgrade from."
else
  previous=$(mktemp -d)
  if git cat-file -e "$base:./${s.migrationsDir}" 2>/dev/null; then
    git archive --format=tar "$base:./${s.migrationsDir}" | tar -x -C "$previous"
  fi
  echo "Previous schema: the migrations of $(git rev-parse --short "$base")"
  ${migrateCommand(s, '"$previous"')}
  echo "This commit's migrations on top of it"
  ${migrateCommand(s)}
fi
`;
}

/** CI variables of the deploy job (names only: values come from the CI system's secret store). */
export const DEPLOY_VARIABLES = {
  host: 'DEPLOY_HOST',
  user: 'DEPLOY_USER',
  path: 'DEPLOY_PATH',
  sshPort: 'DEPLOY_SSH_PORT',
  postgresPort: 'DEPLOY_POSTGRES_PORT',
  setupArgs: 'DEPLOY_SETUP_ARGS',
  knownHosts: 'DEPLOY_KNOWN_HOSTS',
} as const;

/** Loads the key into the running ssh-agent and trusts only the hosts of DEPLOY_KNOWN_HOSTS. */
export function trustHostsScript(): string {
  return `install -d -m 700 ~/.ssh
printf '%s\\n' "$DEPLOY_KNOWN_HOSTS" > ~/.ssh/known_hosts
chmod 600 ~/.ssh/known_hosts
`;
}

/**
 * Runs on the server, in DEPLOY_PATH (where \`pesquel setup\` ran once and keeps secrets/): installs,
 * migrates as the stack's superuser over the loopback port, then brings the stack up to date.
 */
export function remoteScript(s: CiSettings): string {
  return `set -eu
dir=$1
port=$2
shift 2
cd "$dir"
if [ ! -f secrets/pesquel_admin_db_uri.txt ]; then
  echo "no secrets/pesquel_admin_db_uri.txt in $dir: run 'npx pesquel setup' there once first" >&2
  exit 1
fi
${INSTALL_COMMAND}
uri=$(mktemp)
trap 'rm -f "$uri"' EXIT
sed "s#@postgres:5432/#@127.0.0.1:$port/#" secrets/pesquel_admin_db_uri.txt > "$uri"
npx pesquel migrate --dir ${s.migrationsDir} --db-url "@$uri"
npx pesquel setup --no-pull "$@"
`;
}

/**
 * The deploy job's script: checks the variables, copies this commit's files to the server (git archive,
 * so nothing untracked), then runs remoteScript there. No value is printed; the key stays in ssh-agent.
 */
export function deployScript(s: CiSettings): string {
  const v = DEPLOY_VARIABLES;
  return `for name in ${v.host} ${v.user} ${v.path} ${v.knownHosts}; do
  eval "value=\\\${$name:-}"
  if [ -z "$value" ]; then echo "$name is not set: add it to the CI/CD settings" >&2; exit 1; fi
done
case "$${v.path}" in *[!A-Za-z0-9._/-]*) echo "${v.path} may hold only letters, digits and . _ / -" >&2; exit 1 ;; esac
case "\${${v.setupArgs}:-}" in *[!A-Za-z0-9._/:@=,+\\ -]*) echo "${v.setupArgs} may hold only letters, digits, spaces and . _ / : @ = , + -" >&2; exit 1 ;; esac
case "\${${v.sshPort}:-22}\${${v.postgresPort}:-5432}" in *[!0-9]*) echo "${v.sshPort} and ${v.postgresPort} must be port numbers" >&2; exit 1 ;; esac
target="$${v.user}@$${v.host}"
ssh_options="-o BatchMode=yes -o StrictHostKeyChecking=yes -p \${${v.sshPort}:-22}"
echo "Copying $(git rev-parse --short HEAD) to the server"
git archive --format=tar HEAD | ssh $ssh_options "$target" "mkdir -p $${v.path} && tar -x -C $${v.path}"
echo "Migrating and starting the stack on the server"
ssh $ssh_options "$target" "sh -s -- $${v.path} \${${v.postgresPort}:-5432} \${${v.setupArgs}:-}" <<'REMOTE'
${remoteScript(s)}REMOTE
`;
}
