// Which errors mean a lost database session (the connection is destroyed and the API answers
// 503 PGRST000) and which keep their own answer: table-driven, no database needed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectionLost, isServerError } from '../../src/db/pg-faults.js';
import { errors } from '../../src/errors/codes.js';
import { UnsafeIdentifierError } from '../../src/sql/sql.js';

const server = (severity: string, code: string, message = 'x') => Object.assign(new Error(message), { severity, code });
const sys = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

describe('connectionLost', () => {
  const cases: [string, unknown, boolean][] = [
    ['pg_terminate_backend (FATAL 57P01)', server('FATAL', '57P01', 'terminating connection due to administrator command'), true],
    ['idle_in_transaction_session_timeout (FATAL 25P03)', server('FATAL', '25P03'), true],
    ['crash shutdown (57P02)', server('WARNING', '57P02'), true],
    ['pgBouncer: server conn crashed (08P01)', server('ERROR', '08P01'), true],
    ['a unique violation', server('ERROR', '23505'), false],
    ['a cancelled statement (57014)', server('ERROR', '57014', 'canceling statement due to user request'), false],
    ['socket reset', sys('ECONNRESET'), true],
    ['broken pipe', sys('EPIPE'), true],
    ["pg: the server closed the socket", new Error('Connection terminated unexpectedly'), true],
    ['pg: a client after a socket error', new Error('Client has encountered a connection error and is not queryable'), true],
    ["PeSquel's own error (PGRST003)", errors.poolTimeout(), false],
    ['the client went away (499)', errors.clientClosed(), false],
    ['a refused identifier', new UnsafeIdentifierError('NUL in identifier'), false],
    ['a type parser failure', new TypeError('Invalid time value'), false],
    ['not an Error', 'boom', false],
  ];
  for (const [name, err, lost] of cases) it(`${name}: ${lost ? 'lost' : 'not lost'}`, () => assert.equal(connectionLost(err), lost));

  it('isServerError: only errors that carry a severity', () => {
    assert.equal(isServerError(server('ERROR', '23505')), true);
    assert.equal(isServerError(new Error('Connection terminated unexpectedly')), false);
    assert.equal(isServerError(errors.poolTimeout()), false);
  });
});
