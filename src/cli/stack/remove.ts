// What teardown deletes on request: the Docker network and the files that setup wrote into
// ./secrets (only those: anything else the operator put there stays).
import { readdirSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { NETWORK } from './compose.js';
import { DERIVED_FILES, SECRETS_GITIGNORE } from './derived.js';
import { execCapture, firstLine } from './exec.js';
import { REPLICATION_FILES } from './replication.js';
import { SCALE_FILE } from './scale.js';
import { SETUP_RECORD_FILE } from './setup-record.js';
import { PRIMARY_SECRETS } from './secrets.js';

/**
 * Not among them: the point-in-time recovery passphrase and S3 keys (pitr.ts). Deleting the
 * passphrase would make every backup in the repository unreadable, and the repository outlives
 * the stack (its volume is not part of the main compose file, S3 is elsewhere).
 */
export const SETUP_FILES: readonly string[] = [
  ...PRIMARY_SECRETS.map((s) => s.file), ...DERIVED_FILES, ...REPLICATION_FILES, SCALE_FILE, SETUP_RECORD_FILE, SECRETS_GITIGNORE,
];

/** Deletes setup's files; removes the folder when nothing else is left. Returns how many it deleted. */
export function deleteSecretFiles(dir: string): number {
  let present: string[];
  try {
    present = readdirSync(dir);
  } catch {
    return 0;
  }
  const ours = present.filter((f) => SETUP_FILES.includes(f));
  for (const f of ours) rmSync(join(dir, f), { force: true });
  if (present.length === ours.length) rmdirSync(dir);
  return ours.length;
}

/** Removes the shared network; a failure (e.g. other containers still attached) is reported, not thrown. */
export async function removeNetwork(env: NodeJS.ProcessEnv): Promise<string> {
  const found = await execCapture('docker', ['network', 'inspect', '--format', '{{.Name}}', NETWORK], env);
  if (found.code !== 0) return `Docker network '${NETWORK}' does not exist.`;
  const rm = await execCapture('docker', ['network', 'rm', NETWORK], env);
  if (rm.code !== 0) return `Kept the Docker network '${NETWORK}': ${firstLine(rm.stderr) || `exit code ${rm.code}`}`;
  return `Removed the Docker network '${NETWORK}'.`;
}
