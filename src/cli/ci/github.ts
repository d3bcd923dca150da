// `pesquel ci init github`: the GitHub Actions workflow as a plain object (serialised by render.ts).
// Jobs: test (migrations on PostgreSQL 17, then npm test), migrations-upgrade (on the previous
// commit's schema), deploy (default branch only, over SSH with secrets.*).
import {
  deployScript, DEPLOY_VARIABLES as V, INSTALL_COMMAND, migrateCommand, serviceDbUri, SERVICE_DB, TEST_COMMAND,
  trustHostsScript, upgradeScript,
} from './scripts.js';
import { POSTGRES_IMAGE, type CiSettings } from './settings.js';

export const GITHUB_FILE = '.github/workflows/pesquel.yml';

export type Step = { name?: string; uses?: string; with?: Record<string, string | number>; env?: Record<string, string>; run?: string; id?: string };
export type Job = Record<string, unknown> & { steps: Step[] };

/** Repository secrets (Settings › Secrets and variables › Actions) and variables the deploy job reads. */
export const GITHUB_SECRETS = ['DEPLOY_SSH_KEY', V.knownHosts, V.host, V.user] as const;
export const GITHUB_VARIABLES = [V.path, V.sshPort, V.postgresPort, V.setupArgs] as const;

const DB_URI = serviceDbUri('localhost');
const AGENT_SOCKET = '/tmp/pesquel-deploy-ssh-agent.sock';

function postgresService() {
  return {
    postgres: {
      image: POSTGRES_IMAGE,
      env: { POSTGRES_USER: SERVICE_DB.user, POSTGRES_PASSWORD: SERVICE_DB.password, POSTGRES_DB: SERVICE_DB.database },
      ports: [`${SERVICE_DB.port}:5432`],
      options: `--health-cmd "pg_isready -U ${SERVICE_DB.user}" --health-interval 2s --health-timeout 5s --health-retries 30`,
    },
  };
}

function setupSteps(s: CiSettings, fetchDepth?: number): Step[] {
  return [
    fetchDepth === undefined ? { uses: 'actions/checkout@v4' } : { uses: 'actions/checkout@v4', with: { 'fetch-depth': fetchDepth } },
    { uses: 'actions/setup-node@v4', with: { 'node-version': s.nodeVersion, cache: 'npm' } },
    { name: 'Install dependencies', run: INSTALL_COMMAND },
  ];
}

function dbJob(name: string, s: CiSettings, steps: Step[], fetchDepth?: number): Job {
  return {
    name,
    'runs-on': 'ubuntu-latest',
    'timeout-minutes': 30,
    services: postgresService(),
    env: { PESQUEL_DB_URI: DB_URI, DATABASE_URL: DB_URI },
    steps: [...setupSteps(s, fetchDepth), ...steps],
  };
}

function deployJob(s: CiSettings): Job {
  const fromSecrets = (names: readonly string[]) => Object.fromEntries(names.map((n) => [n, `\${{ secrets.${n} }}`]));
  const fromVars = (names: readonly string[]) => Object.fromEntries(names.map((n) => [n, `\${{ vars.${n} }}`]));
  return {
    name: 'Deploy',
    needs: ['test', 'migrations-upgrade'],
    if: "github.event_name == 'push' && github.ref_name == github.event.repository.default_branch",
    'runs-on': 'ubuntu-latest',
    'timeout-minutes': 30,
    environment: 'production',
    concurrency: { group: 'pesquel-deploy', 'cancel-in-progress': false },
    env: { SSH_AUTH_SOCK: AGENT_SOCKET },
    steps: [
      { uses: 'actions/checkout@v4' },
      {
        name: 'Load the deploy key into ssh-agent',
        env: fromSecrets(['DEPLOY_SSH_KEY', V.knownHosts]),
        run: `ssh-agent -a "$SSH_AUTH_SOCK" > /dev/null\nprintf '%s\\n' "$DEPLOY_SSH_KEY" | ssh-add -\n${trustHostsScript()}`,
      },
      { name: 'Migrate and deploy over SSH', env: { ...fromSecrets([V.host, V.user, V.knownHosts]), ...fromVars(GITHUB_VARIABLES) }, run: deployScript(s) },
    ],
  };
}

export function githubWorkflow(s: CiSettings): Record<string, unknown> {
  return {
    name: 'PeSquel',
    on: { push: { branches: ['**'] }, pull_request: {} },
    permissions: { contents: 'read' },
    concurrency: { group: '${{ github.workflow }}-${{ github.ref }}', 'cancel-in-progress': "${{ github.event_name == 'pull_request' }}" },
    jobs: {
      test: dbJob('Migrations and tests', s, [
        { name: 'Apply the migrations', run: migrateCommand(s) },
        { name: 'Run the tests', run: TEST_COMMAND },
      ]),
      'migrations-upgrade': dbJob('Migrations on the previous schema', s, [
        {
          name: 'Apply the migrations on the previous commit\'s schema',
          env: { MIGRATIONS_BASE_SHA: '${{ github.event.pull_request.base.sha || github.event.before }}' },
          run: upgradeScript(s),
        },
      ], 0),
      deploy: deployJob(s),
    },
  };
}
