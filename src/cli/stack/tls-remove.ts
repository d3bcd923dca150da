// What `pesquel teardown --certificates` deletes: Let's Encrypt's volume (acme.json: account and
// certificates) and the local CA with its certificate. Nothing else ever deletes them.
import { readdirSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execCapture, firstLine } from './exec.js';
import { ACME_VOLUME, LOCAL_FILES } from './tls.js';

/** Removes the ACME volume; a failure (e.g. a container still uses it) is reported, not thrown. */
export async function removeAcmeVolume(env: NodeJS.ProcessEnv): Promise<string> {
  const found = await execCapture('docker', ['volume', 'inspect', '--format', '{{.Name}}', ACME_VOLUME], env);
  if (found.code !== 0) return `Docker volume '${ACME_VOLUME}' does not exist.`;
  const rm = await execCapture('docker', ['volume', 'rm', ACME_VOLUME], env);
  if (rm.code !== 0) return `Kept the Docker volume '${ACME_VOLUME}': ${firstLine(rm.stderr) || `exit code ${rm.code}`}`;
  return `Deleted the Let's Encrypt certificates (Docker volume '${ACME_VOLUME}').`;
}

/** Deletes setup's files in `dir` (others stay); removes the folder when nothing else is left. */
export function deleteLocalCertificates(dir: string): number {
  let present: string[];
  try {
    present = readdirSync(dir);
  } catch {
    return 0;
  }
  const names: readonly string[] = Object.values(LOCAL_FILES);
  const ours = present.filter((f) => names.includes(f));
  for (const f of ours) rmSync(join(dir, f), { force: true });
  if (present.length === ours.length) rmdirSync(dir);
  return ours.length;
}
