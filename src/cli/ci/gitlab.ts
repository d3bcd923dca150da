// `pesquel ci init gitlab`: the .gitlab-ci.yml as a plain object (serialised by render.ts). Jobs: test
// and migrations:upgrade against a PostgreSQL 17 service, deploy on the default branch over SSH with
// CI/CD variables (the key base64-encoded so that GitLab can mask it).
import {
  deployScript, DEPLOY_VARIABLES as V, INSTALL_COMMAND, migrateCommand, serviceDbUri, SERVICE_DB, TEST_COMMAND,
  trustHostsScript, upgradeScript,
} from './scripts.js';
import { POSTGRES_IMAGE, type CiSettings } from './settings.js';

export const GITLAB_FILE = '.gitlab-ci.yml';

/** Settings › CI/CD › Variables, all protected (main only); the key also masked (one base64 line can be). */
export const GITLAB_MASKED_VARIABLES = ['DEPLOY_SSH_KEY_BASE64'] as const;
export const GITLAB_VARIABLES = [V.host, V.user, V.knownHosts, V.path, V.sshPort, V.postgresPort, V.setupArgs] as const;

const DB_URI = serviceDbUri('postgres');

export type GitlabJob = Record<string, unknown> & { script: string[] };

function dbJob(extra: Record<string, unknown>, script: string[]): GitlabJob {
  return { stage: 'test', extends: '.with-postgres', ...extra, script };
}

function deployJob(s: CiSettings): GitlabJob {
  return {
    stage: 'deploy',
    environment: { name: 'production' },
    resource_group: 'production',
    interruptible: false,
    rules: [{ if: '$CI_PIPELINE_SOURCE == "push" && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH' }],
    before_script: [
      'eval "$(ssh-agent -s)" > /dev/null',
      'printf \'%s\' "$DEPLOY_SSH_KEY_BASE64" | base64 -d | ssh-add -',
      trustHostsScript(),
    ],
    script: [deployScript(s)],
  };
}

export function gitlabPipeline(s: CiSettings): Record<string, unknown> {
  return {
    workflow: {
      rules: [
        { if: '$CI_PIPELINE_SOURCE == "merge_request_event"' },
        // A branch with an open merge request runs once, as the merge request pipeline.
        { if: '$CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS', when: 'never' },
        { if: '$CI_COMMIT_BRANCH' },
      ],
    },
    stages: ['test', 'deploy'],
    default: { image: `node:${s.nodeVersion}-bookworm`, interruptible: true },
    variables: { npm_config_cache: '$CI_PROJECT_DIR/.npm' },
    '.with-postgres': {
      services: [{ name: POSTGRES_IMAGE, alias: 'postgres' }],
      variables: {
        POSTGRES_USER: SERVICE_DB.user,
        POSTGRES_PASSWORD: SERVICE_DB.password,
        POSTGRES_DB: SERVICE_DB.database,
        PESQUEL_DB_URI: DB_URI,
        DATABASE_URL: DB_URI,
      },
      cache: { key: { files: ['package-lock.json'] }, paths: ['.npm/'] },
      before_script: [INSTALL_COMMAND],
    },
    test: dbJob({}, [migrateCommand(s), TEST_COMMAND]),
    'migrations:upgrade': dbJob({ variables: { GIT_DEPTH: '0' } }, [
      'export MIGRATIONS_BASE_SHA="${CI_MERGE_REQUEST_DIFF_BASE_SHA:-${CI_COMMIT_BEFORE_SHA:-}}"',
      upgradeScript(s),
    ]),
    deploy: deployJob(s),
  };
}
