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
