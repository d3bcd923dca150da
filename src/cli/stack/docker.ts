// Checks that Docker and Compose v2 are installed and that the daemon answers, with one clear
// message per failure; also tells whether the daemon runs rootless (secrets' ownership depends on it).
import { CliError } from '../cli-error.js';
import { CommandNotFoundError, execCapture, firstLine } from './exec.js';

export type DockerStatus = { rootless: boolean; composeVersion: string };

export const MIN_COMPOSE = [2, 20, 0] as const;

export async function checkDocker(env: NodeJS.ProcessEnv): Promise<DockerStatus> {
  let info;
  try {
    info = await execCapture('docker', ['info', '--format', '{{json .SecurityOptions}}'], env);
  } catch (err) {
    if (err instanceof CommandNotFoundError) {
      throw new CliError('Docker is not installed (no `docker` command on PATH). Install Docker Desktop or Docker Engine: https://docs.docker.com/get-docker/');
    }
    throw err;
  }
  if (info.code !== 0) {
    const why = firstLine(info.stderr) || firstLine(info.stdout) || `exit code ${info.code}`;
    throw new CliError(`Docker is installed but its daemon is not running or not reachable (${why}). Start Docker Desktop or the Docker service and try again.`);
  }
  const version = await execCapture('docker', ['compose', 'version', '--short'], env);
  if (version.code !== 0) {
    throw new CliError('Docker Compose v2 is not available (`docker compose version` failed). Install the Compose plugin: https://docs.docker.com/compose/install/');
  }
  const composeVersion = version.stdout.trim().replace(/^v/, '');
  if (!atLeast(composeVersion, MIN_COMPOSE)) {
    throw new CliError(`Docker Compose ${composeVersion || '(unknown version)'} is too old: PeSquel needs ${MIN_COMPOSE.join('.')} or newer.`);
  }
  return { rootless: info.stdout.includes('rootless'), composeVersion };
}

export function atLeast(version: string, min: readonly number[]): boolean {
  const parts = version.split(/[.+-]/).map((p) => Number.parseInt(p, 10));
  for (let i = 0; i < min.length; i++) {
    const have = parts[i];
    const need = min[i] ?? 0;
    if (have === undefined || Number.isNaN(have)) return false;
    if (have !== need) return have > need;
  }
  return true;
}
