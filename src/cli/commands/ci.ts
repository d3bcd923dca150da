// `pesquel ci init github|gitlab`: writes a CI/CD pipeline for the project (tests against PostgreSQL 17,
// migrations checked on the previous schema, deploy over SSH). Never overwrites a file without --force.
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CliError } from '../cli-error.js';
import { renderPipeline } from '../ci/render.js';
import {
  DEFAULT_MIGRATIONS_DIR, DEFAULT_NODE_VERSION, parseMigrationsDir, parseNodeVersion, parseProvider, type CiSettings,
} from '../ci/settings.js';
import { parseFlags } from '../flags.js';

export const summary = 'Write a CI/CD pipeline (GitHub Actions or GitLab CI) for the project';

export const help = `Usage: pesquel ci init github|gitlab [options]

Writes .github/workflows/pesquel.yml (github) or .gitlab-ci.yml (gitlab). On every push and
pull or merge request the pipeline starts PostgreSQL 17 as a service, applies the migrations to it
(pesquel migrate), runs npm test, and applies this commit's migrations on top of the previous
commit's schema. On the default branch it then deploys over SSH: pesquel migrate and pesquel setup
(docker compose up) on the server, with the key and host from the CI system's secret store (the
file's header lists them; docs/deployment.md, "CI/CD").

  --dir DIR          Project root (default: the current folder)
  --migrations DIR   Migrations folder, relative to the project root (default: ${DEFAULT_MIGRATIONS_DIR})
  --node MAJOR       Node.js major version of the jobs (default: ${DEFAULT_NODE_VERSION})
  --force            Overwrite an existing pipeline file`;

function projectRoot(raw: string | boolean | undefined): string {
  const dir = resolve(typeof raw === 'string' ? raw : '.');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CliError(`--dir ${dir} is not a folder`, 2);
  return dir;
}

export async function run(args: string[]): Promise<number> {
  const flags = parseFlags(args, ['force'], ['dir', 'migrations', 'node'], []);
  const [action, provider, ...extra] = flags.positionals;
  if (action !== 'init') throw new CliError(action === undefined ? 'usage: pesquel ci init github|gitlab' : `unknown action '${action}' (init)`, 2);
  if (extra.length > 0) throw new CliError(`unexpected argument '${extra[0]}'`, 2);
  const str = (name: string, fallback: string) => (typeof flags.other[name] === 'string' ? flags.other[name] as string : fallback);
  const settings: CiSettings = {
    provider: parseProvider(provider),
    migrationsDir: parseMigrationsDir(str('migrations', DEFAULT_MIGRATIONS_DIR)),
    nodeVersion: parseNodeVersion(str('node', DEFAULT_NODE_VERSION)),
  };
  const root = projectRoot(flags.other.dir);
  const file = renderPipeline(settings);
  const target = join(root, file.path);
  if (existsSync(target) && flags.other.force !== true) {
    throw new CliError(`${file.path} already exists in ${root}; run again with --force to overwrite it`);
  }
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, file.text);
  console.log(`Wrote ${file.path}.`);
  if (!existsSync(join(root, settings.migrationsDir))) {
    console.log(`Note: ${settings.migrationsDir}/ does not exist yet (pesquel migrate new <name> creates it).`);
  }
  console.log(`For the deploy job: ${file.secretsNote}`);
  return 0;
}
