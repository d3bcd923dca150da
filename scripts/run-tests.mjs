// Runs every *.test.ts file under src/ and test/ with node's test runner (through tsx),
// one file per process, so suites that start databases stay isolated.
// Usage: node scripts/run-tests.mjs [substring filters...]
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { clearTimeout, setTimeout } from 'node:timers';

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = ['src', 'test', 'bench']
  .flatMap((d) => { try { return walk(d, []); } catch { return []; } })
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const concurrency = process.env.TEST_CONCURRENCY ?? '2';
// Bounds, so that a hang fails the run instead of eating CI's time limit (a failed assertion once left a
// server running, whose open pipes kept its test file's process, and the whole run, alive for 90 minutes):
// - a test (or hook) fails after TEST_TIMEOUT_MS;
// - a file's process exits once its tests are done, even if a child or handle is still open;
// - the whole run is stopped after RUN_TIMEOUT_MIN minutes, naming the bound.
const testTimeout = process.env.TEST_TIMEOUT_MS ?? String(10 * 60_000);
const runTimeoutMin = Number(process.env.RUN_TIMEOUT_MIN ?? 60);
// The runner gets a process group of its own; every process left in it at the end (a server a failed
// test did not stop) is killed, so nothing outlives `npm test`.
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, `--test-timeout=${testTimeout}`, '--test-force-exit',
    '--test-reporter=spec', ...files],
  { stdio: 'inherit', detached: true },
);
const killGroup = (signal) => { try { process.kill(-child.pid, signal); } catch { /* already gone */ } };
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => killGroup(signal));
const watchdog = setTimeout(() => {
  console.error(`\nrun-tests: the tests did not finish within ${runTimeoutMin} minutes (RUN_TIMEOUT_MIN); stopping them`);
  killGroup('SIGKILL');
}, runTimeoutMin * 60_000);
child.on('exit', (code, signal) => {
  clearTimeout(watchdog);
  killGroup('SIGKILL');
  process.exit(code ?? (signal ? 1 : 0));
});
