// Configuration: precedence (flags > file > PESQUEL_* > PGRST_* > defaults), *_FILE secrets,
// PostgREST aliases and validation errors that name the setting.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config.js';
import { ConfigError } from '../../src/config/config-error.js';

describe('config', () => {
  it('has PostgREST-like defaults for the embedded mode', () => {
    const c = loadConfig();
    assert.equal(c.dbUri, null);
    assert.deepEqual(c.dbSchemas, ['api']);
    assert.equal(c.dbAnonRole, 'api_anon');
    assert.equal(c.serverPort, 3000);
    assert.equal(c.dbTxEnd, 'commit');
    assert.equal(c.dbMaxRows, null);
  });

  it('applies flags over file over PESQUEL_* over PGRST_*', () => {
    const env = { PGRST_DB_SCHEMAS: 'a', PESQUEL_DB_SCHEMAS: 'b', PGRST_DB_MAX_ROWS: '7', PGRST_SERVER_PORT: '1' };
    assert.deepEqual(loadConfig({ env }).dbSchemas, ['b']);
    assert.equal(loadConfig({ env }).dbMaxRows, 7);
    const file = { path: 'x.conf', text: 'db-schemas = "c, d"\n# comment\nserver-port = 4000\napp.settings.greeting = "hi"' };
    const c = loadConfig({ env, file });
    assert.deepEqual(c.dbSchemas, ['c', 'd']);
    assert.equal(c.serverPort, 4000);
    assert.deepEqual(c.appSettings, { greeting: 'hi' });
    assert.deepEqual(loadConfig({ env, file, flags: { 'db-schemas': 'e' } }).dbSchemas, ['e']);
  });

  it('reads *_FILE variables and @file values (Docker secrets)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pesquel-cfg-'));
    writeFileSync(join(dir, 'uri'), 'postgres://u:p@h/db\n');
    writeFileSync(join(dir, 'secret'), 'x'.repeat(40));
    const c = loadConfig({ env: { PESQUEL_DB_URI_FILE: join(dir, 'uri'), PGRST_JWT_SECRET: `@${join(dir, 'secret')}` } });
    assert.equal(c.dbUri, 'postgres://u:p@h/db');
    assert.equal(c.jwtSecret, 'x'.repeat(40));
  });

  it('accepts PostgREST aliases', () => {
    assert.deepEqual(loadConfig({ env: { PGRST_DB_SCHEMA: 'legacy' } }).dbSchemas, ['legacy']);
    assert.equal(loadConfig({ flags: { 'max-rows': '3' } }).dbMaxRows, 3);
  });

  it('reads an empty list as empty where the option has a default list, and keeps defaults when unset', () => {
    assert.deepEqual(loadConfig({ env: { PGRST_DB_EXTRA_SEARCH_PATH: '' } }).dbExtraSearchPath, []);
    assert.deepEqual(loadConfig({ flags: { 'db-extra-search-path': ' ' } }).dbExtraSearchPath, []);
    assert.deepEqual(loadConfig({ env: {} }).dbExtraSearchPath, ['public']);
    assert.deepEqual(loadConfig({ env: { PESQUEL_DB_HOISTED_TX_SETTINGS: '' } }).dbHoistedTxSettings, []);
    assert.equal(loadConfig({ env: { PESQUEL_AUTH_ROLES: '' } }).authRoles, null);
    assert.equal(loadConfig({ env: { PGRST_SERVER_CORS_ALLOWED_ORIGINS: '' } }).serverCorsAllowedOrigins, null);
  });

  it('warns once for every PGRST_* / PESQUEL_* variable that names no option', () => {
    const env = {
      PGRST_DB_PLAN_ENABLE: 'true', PESQUEL_SERVER_PROT: '1', PGRST_DB_PLAN_ENABLED: 'true', PESQUEL_DB_URI_FILE: '',
      PGRST_JWT_SECRET_FILE: '', PGRST_APP_SETTINGS_JWT_EXP: '3600', PESQUEL_APP_SETTINGS_X: 'y', PGRST_DB_SCHEMA: 'api',
      PESQUEL_CONFIG: 'p.conf', PESQUEL_STACK_DIR: '/s', PESQUEL_BACKUP_EVERY: '24h', PESQUEL_TEST_PGBOUNCER: 'x', HOME: '/root', PGRSTX: '1',
    };
    const c = loadConfig({ env });
    assert.deepEqual(c.warnings, [
      'PESQUEL_SERVER_PROT is not a PeSquel option (ignored)',
      'PGRST_DB_PLAN_ENABLE is not a PeSquel option (ignored)',
    ]);
    assert.equal(c.dbPlanEnabled, true);
    assert.deepEqual(loadConfig({ env: {} }).warnings, []);
  });

  it('has db-plan-enabled and db-root-spec with PostgREST defaults', () => {
    const c = loadConfig({ env: {} });
    assert.equal(c.dbPlanEnabled, false);
    assert.equal(c.dbRootSpec, null);
    assert.equal(loadConfig({ env: { PGRST_DB_ROOT_SPEC: 'root' } }).dbRootSpec, 'root');
  });

  const bad: Array<[Record<string, string>, RegExp]> = [
    [{ 'server-port': 'abc' }, /invalid setting 'server-port': expected a whole number/],
    [{ 'db-pool': '0' }, /invalid setting 'db-pool': must be at least 1/],
    [{ 'db-tx-end': 'sometimes' }, /invalid setting 'db-tx-end': expected one of commit/],
    [{ 'db-uri': 'mysql://x' }, /invalid setting 'db-uri'/],
    [{ 'jwt-secret': 'short' }, /invalid setting 'jwt-secret': must be at least 32 characters/],
    [{ 'db-channel-enabled': 'maybe' }, /expected true or false/],
    [{ 'no-such-option': '1' }, /invalid setting 'no-such-option': unknown setting/],
  ];
  for (const [flags, message] of bad) {
    it(`rejects ${JSON.stringify(flags)}`, () => {
      assert.throws(() => loadConfig({ flags }), (e: unknown) => e instanceof ConfigError && message.test(e.message));
    });
  }
  it('rejects a malformed config file line with its location', () => {
    assert.throws(() => loadConfig({ file: { path: 'p.conf', text: 'ok = "1"\nthis is wrong' } }), /p\.conf:2/);
  });
});

describe('docs/configuration.md', () => {
  it('documents every option (regenerate with npx tsx scripts/gen-config-doc.ts)', async () => {
    const { readFileSync } = await import('node:fs');
    const { optionSpecs } = await import('../../src/config/options.js');
    const doc = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    for (const name of Object.keys(optionSpecs)) assert.ok(doc.includes(`| \`${name}\` |`), `${name} is missing`);
  });
});
