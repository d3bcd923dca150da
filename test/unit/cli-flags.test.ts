// The CLI's flag parser: config options, command switches and valued flags, positionals, errors.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseFlags } from '../../src/cli/flags.js';
import { CliError } from '../../src/cli/cli-error.js';

describe('parseFlags', () => {
  it('maps shortcuts and option names to config options', () => {
    const f = parseFlags(['--db-url', 'postgres://x/y', '--port=8080', '--db-schemas', 'a,b', '--db-channel-enabled']);
    assert.deepEqual(f.options, { 'db-uri': 'postgres://x/y', 'server-port': '8080', 'db-schemas': 'a,b', 'db-channel-enabled': true });
  });
  it('separates switches, valued flags and positionals', () => {
    const f = parseFlags(['restore', 'file.gz', '--yes', '--dir', 'db/migrations', '--keep=3'], ['yes'], ['dir', 'keep']);
    assert.deepEqual(f.positionals, ['restore', 'file.gz']);
    assert.deepEqual(f.other, { yes: true, dir: 'db/migrations', keep: '3' });
  });
  it('reads --config', () => {
    assert.equal(parseFlags(['--config', 'p.conf']).configPath, 'p.conf');
  });
  it('rejects unknown options and missing values with exit code 2', () => {
    for (const args of [['--nope'], ['--port'], ['--dir']]) {
      assert.throws(() => parseFlags(args, [], ['dir']), (e: unknown) => e instanceof CliError && e.exitCode === 2);
    }
  });
});

describe('parseFlags with the options a command reads', () => {
  it('accepts those options (and their shortcuts) and refuses the others in one line', () => {
    const f = parseFlags(['--db-url', 'postgres://x/y', '--data-dir=d'], [], [], ['db-uri', 'data-dir']);
    assert.deepEqual(f.options, { 'db-uri': 'postgres://x/y', 'data-dir': 'd' });
    assert.throws(() => parseFlags(['--port', '3000'], [], [], ['db-uri']),
      (e: unknown) => e instanceof CliError && e.exitCode === 2 && e.message === 'unknown option --port (this command does not use it)');
    assert.throws(() => parseFlags(['--portt', '3000'], [], [], ['db-uri']), (e: unknown) => e instanceof CliError && e.message === 'unknown option --portt');
    assert.throws(() => parseFlags(['-x']), (e: unknown) => e instanceof CliError && e.message === 'unknown option -x');
    assert.throws(() => parseFlags(['--data-dir', '--port', '1']), (e: unknown) => e instanceof CliError && e.message === '--data-dir needs a value');
  });
});

describe('each command\'s help', () => {
  const load = async (name: string) => (await import(`../../src/cli/commands/${name}.js`)) as { help: string };
  it('lists the options the command reads, and only those', async () => {
    const start = (await load('start')).help;
    for (const flag of ['--port N', '--host VALUE', '--admin-ui-port N', '--admin-server-port N', '--embedded-psql-port N', '--data-dir DIR', '--db-url URI']) {
      assert.ok(start.includes(flag), `start: ${flag}`);
    }
    for (const name of ['init', 'migrate', 'backup', 'restore', 'admin']) {
      const help = (await load(name)).help;
      assert.match(help, new RegExp(`^Usage: pesquel ${name}`));
      assert.ok(help.includes('--db-url URI') && help.includes('--data-dir DIR'), name);
      assert.doesNotMatch(help, /--port |--host |--admin-ui-port/, name);
    }
    const status = (await load('status')).help;
    assert.ok(status.includes('--admin-server-port N') && !status.includes('--db-url'));
  });
  it('keeps lines within 100 characters', async () => {
    for (const name of ['start', 'init', 'migrate', 'backup', 'restore', 'status', 'admin']) {
      for (const line of (await load(name)).help.split('\n')) assert.ok(line.length <= 100, `${name}: ${line}`);
    }
  });
});
