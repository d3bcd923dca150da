// Turns a provider's pipeline object into the file `pesquel ci init` writes: where it goes, a header
// saying what it does and what to configure, and the YAML (the `yaml` package, no hand-made quoting).
import { stringify } from 'yaml';
import { GITHUB_FILE, GITHUB_SECRETS, GITHUB_VARIABLES, githubWorkflow } from './github.js';
import { GITLAB_FILE, GITLAB_MASKED_VARIABLES, GITLAB_VARIABLES, gitlabPipeline } from './gitlab.js';
import type { CiSettings, Provider } from './settings.js';

export interface PipelineFile {
  /** Relative to the project root, forward slashes. */
  readonly path: string;
  readonly object: Record<string, unknown>;
  readonly text: string;
  /** What the user must add to the CI system's secret store for the deploy job. */
  readonly secretsNote: string;
}

const PURPOSE = [
  'Written by `pesquel ci init`. Every push and merge/pull request: PostgreSQL 17 as a service, the',
  'migrations applied to it (`pesquel migrate`), `npm test`, and the migrations applied on top of the',
  'previous commit\'s schema. On the default branch: deploy over SSH (`pesquel migrate`, then',
  '`pesquel setup`, which runs `docker compose up -d` for the stack) in DEPLOY_PATH on the server,',
  'where `npx pesquel setup` ran once and keeps secrets/.',
  'Guide: docs/deployment.md of PeSquel, section "CI/CD".',
];

/** What to put in the secret store, as header lines (each under 100 characters). */
const NOTES: Record<Provider, readonly string[]> = {
  github: [
    `Repository secrets: ${GITHUB_SECRETS.join(', ')}`,
    '(private key, `ssh-keyscan HOST` output, server, account).',
    `Variables: ${GITHUB_VARIABLES[0]} (required), ${GITHUB_VARIABLES.slice(1).join(', ')}.`,
  ],
  gitlab: [
    `CI/CD variables, all protected: ${GITLAB_MASKED_VARIABLES.join(', ')} (masked; \`base64 -w0 KEY\`),`,
    `${GITLAB_VARIABLES.slice(0, 4).join(', ')} (required),`,
    `${GITLAB_VARIABLES.slice(4).join(', ')} (optional).`,
  ],
};

function build(s: CiSettings): { path: string; object: Record<string, unknown> } {
  return s.provider === 'github'
    ? { path: GITHUB_FILE, object: githubWorkflow(s) }
    : { path: GITLAB_FILE, object: gitlabPipeline(s) };
}

export function renderPipeline(s: CiSettings): PipelineFile {
  const { path, object } = build(s);
  const header = [...PURPOSE, ...NOTES[s.provider]].map((line) => `# ${line}`).join('\n');
  const body = stringify(object, { lineWidth: 0, aliasDuplicateObjects: false });
  return { path, object, text: `${header}\n${body}`, secretsNote: NOTES[s.provider].join(' ') };
}
