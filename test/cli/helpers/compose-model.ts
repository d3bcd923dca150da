// Reads deploy/docker-compose.yml (with its YAML anchors and merge keys) into a loosely typed model
// for the structural tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { deployDir } from '../../../src/cli/stack/paths.js';

export type Healthcheck = { test?: string[] | string; disable?: boolean };
export type SecretRef = string | { source: string };
export type Service = {
  image?: string;
  build?: { context: string; dockerfile?: string };
  healthcheck?: Healthcheck;
  restart?: string;
  logging?: { driver: string; options?: Record<string, string> };
  environment?: Record<string, string>;
  secrets?: SecretRef[];
  volumes?: string[];
  networks?: string[] | Record<string, unknown>;
  depends_on?: Record<string, { condition: string }>;
  profiles?: string[];
  user?: string;
  ports?: string[];
  entrypoint?: string[];
};
export type ComposeModel = {
  services: Record<string, Service>;
  networks: Record<string, { external?: boolean; name?: string } | null>;
  volumes: Record<string, unknown>;
  secrets: Record<string, { file: string }>;
};

export function readDeployFile(...parts: string[]): string {
  return readFileSync(join(deployDir(), ...parts), 'utf8');
}

export function loadCompose(): ComposeModel {
  return parse(readDeployFile('docker-compose.yml'), { merge: true }) as ComposeModel;
}

export function secretNames(s: Service): string[] {
  return (s.secrets ?? []).map((r) => (typeof r === 'string' ? r : r.source));
}

export function networkNames(s: Service): string[] {
  return Array.isArray(s.networks) ? s.networks : Object.keys(s.networks ?? {});
}
