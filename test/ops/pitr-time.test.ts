// The --to-time parser: what it accepts (an explicit UTC offset always), what it refuses before anything is
// stopped, and the pgBackRest options each target turns into.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRecoveryTime, RecoveryTargetError, restoreTypeArgs } from '../../src/backup/pitr-time.js';

const NOW = new Date('2026-12-04T12:00:00Z');

describe('parseRecoveryTime', () => {
  const ok: [string, string, string][] = [
    ['2026-12-04 10:15:00+00', '2026-12-04 10:15:00+00', '2026-12-04T10:15:00.000Z'],
    ['2026-12-04T10:15:00Z', '2026-12-04T10:15:00+00', '2026-12-04T10:15:00.000Z'],
    ['2026-12-04 10:15 UTC', '2026-12-04 10:15+00', '2026-12-04T10:15:00.000Z'],
    ['2026-12-04 12:15:00+02:00', '2026-12-04 12:15:00+02:00', '2026-12-04T10:15:00.000Z'],
    ['2026-12-04 04:45:00-0530', '2026-12-04 04:45:00-0530', '2026-12-04T10:15:00.000Z'],
    ['2026-12-04 10:15:00.123456+00', '2026-12-04 10:15:00.123456+00', '2026-12-04T10:15:00.123Z'],
    ['  2024-02-29 23:59:59+00 ', '2024-02-29 23:59:59+00', '2024-02-29T23:59:59.000Z'],
  ];
  for (const [input, time, iso] of ok) {
    it(`accepts ${JSON.stringify(input)}`, () => {
      const t = parseRecoveryTime(input, NOW);
      assert.equal(t.kind, 'time');
      if (t.kind !== 'time') return;
      assert.equal(t.time, time, 'passed to pgBackRest as given (microseconds kept), Z/UTC as +00');
      assert.equal(t.at.toISOString(), iso);
    });
  }

  const bad: [string, RegExp][] = [
    ['2026-12-04 10:15:00', /expects a date, a time and a UTC offset/],
    ['yesterday', /expects a date, a time and a UTC offset/],
    ['2026-12-04 10:15:00 Europe/Paris', /expects a date, a time and a UTC offset/],
    ['2026-02-30 10:15:00+00', /is not a valid date and time/],
    ['2026-12-04 24:00:00+00', /is not a valid date and time/],
    ['2026-12-04 10:60:00+00', /is not a valid date and time/],
    ['2026-12-04 10:15:00+15', /beyond ±14:00/],
    ['2026-12-04 13:00:00+00', /is in the future/],
    ["2026-12-04 10:15:00+00'; DROP TABLE x", /expects a date/],
  ];
  for (const [input, message] of bad) {
    it(`refuses ${JSON.stringify(input)} in one line`, () => {
      assert.throws(() => parseRecoveryTime(input, NOW), (err: unknown) => {
        assert.ok(err instanceof RecoveryTargetError);
        assert.match(err.message, message);
        assert.match(err.message, /^--to-time .*, got '.*' \(expected e\.g\. "2026-12-04 10:15:00\+00"\)$/);
        assert.ok(!err.message.includes('\n'));
        return true;
      });
    });
  }

  it('turns targets into pgBackRest restore options', () => {
    assert.deepEqual(restoreTypeArgs(parseRecoveryTime('2026-12-04 10:15:00+00', NOW)),
      ['--type=time', '--target=2026-12-04 10:15:00+00', '--target-action=promote']);
    assert.deepEqual(restoreTypeArgs({ kind: 'latest' }), ['--type=default']);
  });
});
