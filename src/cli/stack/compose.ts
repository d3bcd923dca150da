// Builds `docker compose` invocations for the PeSquel stack: fixed project name, the packaged compose
// file, optional profiles, and the PESQUEL_STACK_* variables that the compose file interpolates.
import { CliError } from '../cli-error.js';
import { execCapture, execShow, firstLine } from './exec.js';
import { composePath } from './paths.js';
import type { ExecResult } from './exec.js';

export const PROJECT = 'pesquel';
export const NETWORK = 'web';

/** Where the API sends its queries; the compose file's one routing switch (PESQUEL_STACK_API_DB). */
export type ApiDbRoute = 'pgbouncer' | 'postgres';

export type StackSettings = {
  stackDir: string;
  domain: string;
  apiDb: ApiDbRoute;
  httpPort: number;
  postgresPort: number;
  /** Set when Traefik serves HTTPS (docker-compose.https.yml): its host port, and https URLs. */
  httpsPort?: number;
  /** uid:gid the PeSquel and pgAdmin containers run as, so they can read owner-only secrets. */
  owner?: { uid: number; gid: number };
  /** `--api-instances` and `--pg-replicas` (default 1 and 0). */
  scale?: { apiInstances: number; pgReplicas: number };
};

/** `overlays`: extra compose files layered on the main one (monitoring, scheduled backups). */
export type Stack = { composeFile: string; overlays?: readonly string[]; profiles: readonly string[]; env: NodeJS.ProcessEnv };

/** Variables for the compose file (never a secret: those stay in files). */
export function stackVariables(s: StackSettings): Record<string, string> {
  const vars: Record<string, string> = {
    PESQUEL_STACK_DIR: composePath(s.stackDir),
    PESQUEL_STACK_DOMAIN: s.domain,
    PESQUEL_STACK_API_DB: s.apiDb,
    PESQUEL_STACK_HTTP_PORT: String(s.httpPort),
    PESQUEL_STACK_POSTGRES_PORT: String(s.postgresPort),
    PESQUEL_STACK_NETWORK: NETWORK,
    PESQUEL_STACK_API_URL: s.httpsPort === undefined
      ? `http://api.${s.domain}${s.httpPort === 80 ? '' : `:${s.httpPort}`}`
      : `https://api.${s.domain}${s.httpsPort === 443 ? '' : `:${s.httpsPort}`}`,
  };
  if (s.httpsPort !== undefined) vars.PESQUEL_STACK_HTTPS_PORT = String(s.httpsPort);
  // Only when scaled: the compose files default to one API container and (with the overlay) one replica.
  if (s.scale && s.scale.apiInstances !== 1) vars.PESQUEL_STACK_API_INSTANCES = String(s.scale.apiInstances);
  if (s.scale && s.scale.pgReplicas > 0) vars.PESQUEL_STACK_PG_REPLICAS = String(s.scale.pgReplicas);
  if (s.owner) {
    vars.PESQUEL_STACK_UID = String(s.owner.uid);
    vars.PESQUEL_STACK_GID = String(s.owner.gid);
  }
  return vars;
}

export function composeArgs(stack: Stack, args: readonly string[]): string[] {
  const profiles = stack.profiles.flatMap((p) => ['--profile', p]);
  const overlays = (stack.overlays ?? []).flatMap((f) => ['--file', f]);
  return ['compose', '--project-name', PROJECT, '--file', stack.composeFile, ...overlays, ...profiles, ...args];
}

export function composeCapture(stack: Stack, args: readonly string[]): Promise<ExecResult> {
  return execCapture('docker', composeArgs(stack, args), stack.env);
}

/** Runs a compose step with its output shown; a failure becomes a one-line CliError. */
export async function composeStep(stack: Stack, args: readonly string[], what: string): Promise<void> {
  const code = await execShow('docker', composeArgs(stack, args), stack.env);
  if (code !== 0) {
    throw new CliError(`${what} failed (docker compose ${args.join(' ')} exited with ${code}); see the output above.`);
  }
}

/** Creates the shared network when missing, like the seed's `docker network create web`. */
export async function ensureNetwork(env: NodeJS.ProcessEnv): Promise<'created' | 'exists'> {
  const found = await execCapture('docker', ['network', 'inspect', '--format', '{{.Name}}', NETWORK], env);
  if (found.code === 0) return 'exists';
  const made = await execCapture('docker', ['network', 'create', NETWORK], env);
  if (made.code !== 0) {
    throw new CliError(`could not create the Docker network '${NETWORK}': ${firstLine(made.stderr) || `exit code ${made.code}`}`);
  }
  return 'created';
}
