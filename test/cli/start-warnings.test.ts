// `pesquel start` warns once per PGRST_*/PESQUEL_* variable that names no option, before it
// connects: a database that cannot be reached still leaves the warnings in the log.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('pesquel start: unknown variables', () => {
  it('logs one warning per unknown variable; known ones, _FILE forms and app settings are quiet', () => {
    // The test's own environment without any PGRST_/PESQUEL_ variable, plus these.
    const env: Record<string, string | undefined> = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(PGRST|PESQUEL)_/.test(k)));
    Object.assign(env, { PGRST_DB_PLAN_ENABLE: 'true', PESQUEL_SERVER_PROT: '3000', PGRST_DB_PLAN_ENABLED: 'true', PGRST_APP_SETTINGS_GREETING: 'hi' });
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/entry.ts', 'start', '--db-url', 'postgres://u:p@127.0.0.1:1/db', '--port', '0',
      '--admin-server-port', '0', '--admin-ui-port', '0', '--log-level', 'warn'], { cwd: root, env, encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 1, r.stderr);
    const warnings = r.stdout.split('\n').filter((l) => l.trim() !== '').map((l) => (JSON.parse(l) as { msg: string }).msg);
    assert.deepEqual(warnings, [
      'PESQUEL_SERVER_PROT is not a PeSquel option (ignored)',
      'PGRST_DB_PLAN_ENABLE is not a PeSquel option (ignored)',
    ]);
    assert.match(r.stderr, /cannot reach the database/);
  });
});
