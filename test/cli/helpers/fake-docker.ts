// A recording stand-in for the `docker` command: an executable named `docker` in a temp folder put
// first on PATH. It appends each call (argv and the PESQUEL_* environment) to calls.jsonl and answers
// from scripted rules: the first rule whose regex matches the space-joined argv wins; a rule with
// several responses gives them in turn and then repeats the last.
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type FakeResponse = { stdout?: string; stderr?: string; code?: number };
export type FakeRule = { match: string; responses: FakeResponse[] };
export type FakeCall = { argv: string[]; env: Record<string, string> };

const SCRIPT = `
const fs = require('fs');
const path = require('path');
const dir = __dirname;
const argv = process.argv.slice(2);
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('PESQUEL_')));
fs.appendFileSync(path.join(dir, 'calls.jsonl'), JSON.stringify({ argv, env }) + '\\n');
const { rules } = JSON.parse(fs.readFileSync(path.join(dir, 'rules.json'), 'utf8'));
const line = argv.join(' ');
let reply = {};
for (let i = 0; i < rules.length; i++) {
  if (!new RegExp(rules[i].match).test(line)) continue;
  const counter = path.join(dir, 'count-' + i);
  const n = fs.existsSync(counter) ? Number(fs.readFileSync(counter, 'utf8')) : 0;
  fs.writeFileSync(counter, String(n + 1));
  reply = rules[i].responses[Math.min(n, rules[i].responses.length - 1)] || {};
  break;
}
if (reply.stdout) process.stdout.write(reply.stdout);
if (reply.stderr) process.stderr.write(reply.stderr);
process.exitCode = reply.code || 0;
`;

export const HEALTHY = ['postgres', 'pgbouncer', 'pesquel', 'traefik', 'pgadmin']
  .map((s) => JSON.stringify({ Service: s, Name: `pesquel-${s}-1`, State: 'running', Health: 'healthy' }))
  .join('\n');

/** Answers of a working Docker with Compose 2.29, no network yet and nothing running. */
export const DEFAULT_RULES: FakeRule[] = [
  { match: '^info ', responses: [{ stdout: '["name=seccomp,profile=builtin","name=cgroupns"]\n' }] },
  { match: '^compose version', responses: [{ stdout: '2.29.7\n' }] },
  { match: '^network inspect', responses: [{ code: 1, stderr: 'Error response from daemon: network web not found\n' }] },
  { match: '^network create', responses: [{ stdout: '0123456789abcdef\n' }] },
  { match: ' ps --all --format json$', responses: [{ stdout: `${HEALTHY}\n` }] },
  { match: ' ps --format json$', responses: [{ stdout: '' }] },
];

export class FakeDocker {
  readonly dir = mkdtempSync(join(tmpdir(), 'pesquel-fake-docker-'));

  constructor(rules: FakeRule[] = [], defaults: FakeRule[] = DEFAULT_RULES) {
    writeFileSync(join(this.dir, 'docker'), `#!${process.execPath}\n${SCRIPT}`);
    chmodSync(join(this.dir, 'docker'), 0o755);
    writeFileSync(join(this.dir, 'calls.jsonl'), '');
    this.script(rules, defaults);
  }

  /** Replaces the rules (and resets the turn counters). */
  script(rules: FakeRule[], defaults: FakeRule[] = DEFAULT_RULES): void {
    writeFileSync(join(this.dir, 'rules.json'), JSON.stringify({ rules: [...rules, ...defaults] }));
    for (const f of readdirSync(this.dir)) if (f.startsWith('count-')) rmSync(join(this.dir, f));
  }

  calls(): FakeCall[] {
    return readFileSync(join(this.dir, 'calls.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as FakeCall);
  }

  /** The calls as command lines, with `compose --project-name pesquel --file <path>` shortened to `compose`. */
  commands(): string[] {
    return this.calls().map((c) => c.argv.join(' ').replace(/^compose --project-name pesquel --file \S+/, 'compose'));
  }

  clear(): void {
    writeFileSync(join(this.dir, 'calls.jsonl'), '');
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
