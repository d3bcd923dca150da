// pg_dump / pg_restore get the connection URI on their command line, which every user of the
// machine can read in `ps`: the password must travel in PGPASSWORD, wherever the URI carries it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectionArgs, type PgTool } from '../../src/backup/tools.js';

const tool: PgTool = { command: 'pg_dump', prefix: [], inContainer: false, major: 17 };

describe('backup tools: connection arguments', () => {
  it('moves a password in the authority to PGPASSWORD', () => {
    const { args, env } = connectionArgs(tool, 'postgres://app:s%40cret@db.example:5432/pesquel?sslmode=require');
    assert.deepEqual(args, ['-d', 'postgres://app@db.example:5432/pesquel?sslmode=require']);
    assert.equal(env.PGPASSWORD, 's@cret');
  });

  it('moves a password in the query string to PGPASSWORD', () => {
    const { args, env } = connectionArgs(tool, 'postgres://app@db.example/pesquel?password=qs-secret&application_name=x');
    assert.deepEqual(args, ['-d', 'postgres://app@db.example/pesquel?application_name=x']);
    assert.equal(env.PGPASSWORD, 'qs-secret');
    assert.ok(!args.join(' ').includes('qs-secret'));
  });

  it('leaves libpq its own PGPASSWORD / .pgpass without a password in the URI', () => {
    const { args, env } = connectionArgs(tool, 'postgres://app@db.example/pesquel');
    assert.deepEqual(args, ['-d', 'postgres://app@db.example/pesquel']);
    assert.equal(env, process.env);
  });

  it('inside the compose container: user and database only', () => {
    const { args } = connectionArgs({ ...tool, command: 'docker', inContainer: true }, 'postgres://app:pw@postgres/pesquel?password=x');
    assert.deepEqual(args, ['-U', 'app', '-d', 'pesquel']);
  });
});
