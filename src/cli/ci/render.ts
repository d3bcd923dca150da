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
  'where `npx pesquel setup` ran once and keeps secrets/. See docs/deployment.md, "CI/CD".',
];

const NOTES: Record<Provider, string> = {
  github: `Repository secrets: ${GITHUB_SECRETS.join(', ')} (the private key, \`ssh-keyscan HOST\` output,
the server and the account). Variables: ${GITHUB_VARIABLES.join(', ')} (DEPLOY_PATH required).`,
  gitlab: `CI/CD variables, protected: ${GITLAB_MASKED_VARIABLES.join(', ')} (masked: \`base64 -w0 KEY\`),
${GITLAB_VARIABLES.join(', ')} (the first four required).`,
};

function build(s: CiSettings): { path: string; object: Record<string, unknown> } {
  return s.provider === 'github'
    ? { path: GITHUB_FILE, object: githubWorkflow(s) }
    : { path: GITLAB_FILE, object: gitlabPipeline(s) };
}

export function renderPipeline(s: CiSettings): PipelineFile {
  const { path, object } = build(s);
  const header = [...PURPOSE, ...NOTES[s.provider].split('\n')].map((line) => `# ${line}`).join('\n');
  const body = stringify(object, { lineWidth: 0, aliasDuplicateObjects: false });
  return { path, object, text: `${header}\n${body}`, secretsNote: NOTES[s.provider].replace(/\n/g, ' ') };
}
