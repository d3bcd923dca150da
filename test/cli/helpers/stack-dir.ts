// Temporary stack folders for CLI tests, and readers for what setup leaves in their secrets/.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function makeStackDir(): string {
  return mkdtempSync(join(tmpdir(), 'pesquel-stack-'));
}

export function removeStackDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export type FileSnapshot = { content: string; mode: number; mtimeMs: number };

/** Every file of <stack>/secrets with its content, permission bits and modification time. */
export function snapshotSecrets(stackDir: string): Map<string, FileSnapshot> {
  const dir = join(stackDir, 'secrets');
  const out = new Map<string, FileSnapshot>();
  for (const name of readdirSync(dir).sort()) {
    const st = statSync(join(dir, name));
    out.set(name, { content: readFileSync(join(dir, name), 'utf8'), mode: st.mode & 0o777, mtimeMs: st.mtimeMs });
  }
  return out;
}

/** Values that must never leak into argv, environment or output: every generated secret. */
export function secretValues(stackDir: string): string[] {
  const files = ['postgres_password.txt', 'pgadmin_password.txt', 'jwt_secret.txt', 'authenticator_password.txt',
    'pesquel_admin_password.txt', 'traefik_dashboard_password.txt', 'authenticator_scram.txt'];
  return files.map((f) => readFileSync(join(stackDir, 'secrets', f), 'utf8').trim());
}
