// Where the stack's files are: the compose files shipped in this package's deploy/ folder, and the
// operator's stack directory, whose secrets/ folder `pesquel setup` fills.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** deploy/ of this package: three levels up from src/cli/stack/ and from dist/cli/stack/ alike. */
export function deployDir(): string {
  return fileURLToPath(new URL('../../../deploy/', import.meta.url));
}

export function composeFilePath(): string {
  return join(deployDir(), 'docker-compose.yml');
}

/** Optional add-ons: the monitoring profile and the scheduled-backup service. */
export function overlayPaths(o: { monitoring: boolean; backups: boolean }): string[] {
  return [
    ...(o.monitoring ? [join(deployDir(), 'monitoring', 'docker-compose.monitoring.yml')] : []),
    ...(o.backups ? [join(deployDir(), 'backup', 'docker-compose.backup.yml')] : []),
  ];
}

/** `setup --pg-replicas M` (M > 0): the streaming replicas, their pgBouncer, PeSquel's replica URIs. */
export function replicasOverlayPath(): string {
  return join(deployDir(), 'docker-compose.replicas.yml');
}

/** Plain HTTP with several API containers: Traefik reads the routes setup generated. */
export function generatedTraefikOverlayPath(): string {
  return join(deployDir(), 'traefik', 'docker-compose.generated.yml');
}

export function secretsDir(stackDir: string): string {
  return join(stackDir, 'secrets');
}

/** Compose interpolates this into file paths: forward slashes work on every OS, backslashes not always. */
export function composePath(path: string): string {
  return path.replace(/\\/g, '/');
}
