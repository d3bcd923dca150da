// Baseline 3: pgbench running PeSquel's transaction as one compound simple-protocol query
// (statements joined with `\;`), the database's own ceiling for that transaction.
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile } from './load/http-load.js';
import type { ScriptSpec } from './servers/script-table.js';
import { KEY_COUNT } from './scenarios.js';

export function pgbenchBinary(): string | null {
  const dirs = [...(process.env.PATH ?? '').split(':'), ...['17', '16', '15'].map((v) => `/usr/lib/postgresql/${v}/bin`)];
  for (const d of dirs) {
    try {
      accessSync(join(d, 'pgbench'), constants.X_OK);
      return join(d, 'pgbench');
    } catch {
      // keep looking
    }
  }
  return null;
}

/** The pgbench script: one compound query; a keyed row becomes todo :k, drawn per transaction. */
export function pgbenchScript(spec: ScriptSpec): string {
  let text = spec.statements.join(' \\;\n') + ';\n';
  if (spec.keyLiteral !== null) {
    text = text.replaceAll(`'${spec.keyLiteral}'`, `md5('todo' || :k)::uuid`);
    text = `\\set k random(1, ${KEY_COUNT})\n` + text;
  }
  return text;
}

export interface PgbenchResult {
  readonly tps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly transactions: number;
  readonly failed: number;
  readonly error: string | null;
}

export interface PgbenchOptions {
  readonly uri: string;
  readonly spec: ScriptSpec;
  readonly clients: number;
  readonly seconds: number;
}

export async function runPgbench(o: PgbenchOptions): Promise<PgbenchResult> {
  const bin = pgbenchBinary();
  if (!bin) return { tps: 0, p50Ms: 0, p99Ms: 0, transactions: 0, failed: 0, error: 'pgbench not found' };
  const dir = mkdtempSync(join(tmpdir(), 'pesquel-bench-pgbench-'));
  try {
    writeFileSync(join(dir, 'tx.sql'), pgbenchScript(o.spec));
    const u = new URL(o.uri);
    const args = ['-n', '-M', 'simple', '-f', join(dir, 'tx.sql'), '-c', String(o.clients), '-j', String(Math.min(2, o.clients)),
      '-T', String(Math.max(1, Math.round(o.seconds))), '-l', '--log-prefix', join(dir, 'log'),
      '-h', u.hostname, '-p', u.port, '-U', decodeURIComponent(u.username), decodeURIComponent(u.pathname.slice(1))];
    const env = { ...process.env, PGPASSWORD: decodeURIComponent(u.password) };
    const { stdout, stderr, failed } = await new Promise<{ stdout: string; stderr: string; failed: boolean }>((resolve) => {
      execFile(bin, args, { cwd: dir, env, timeout: (o.seconds + 60) * 1000, maxBuffer: 16 << 20 }, (err, so, se) =>
        resolve({ stdout: so, stderr: se, failed: err !== null }));
    });
    const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1] ?? 0);
    const failedTx = Number(/number of failed transactions: (\d+)/.exec(stdout)?.[1] ?? 0);
    // Per-transaction log: "client tx_no latency_us script epoch_s epoch_us".
    const lat = readdirSync(dir).filter((f) => f.startsWith('log'))
      .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n'))
      .map((l) => Number(l.split(' ')[2]) / 1000)
      .filter((x) => Number.isFinite(x) && x > 0)
      .sort((a, b) => a - b);
    const abort = /aborted.*|ERROR:.*|FATAL:.*/.exec(stderr)?.[0] ?? null;
    return {
      tps, p50Ms: percentile(lat, 50), p99Ms: percentile(lat, 99), transactions: lat.length, failed: failedTx,
      error: failed || tps === 0 ? (abort ?? stderr.trim().slice(-300)) || 'pgbench failed' : abort,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
