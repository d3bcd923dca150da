// Secrets never reach PostgreSQL's server log (issue 20, item 4). With its default settings
// (log_min_error_statement = error) PostgreSQL writes the text of a failing statement into its log.
// PeSquel sends a request's settings (role, request.headers with Authorization and Cookie,
// request.cookies, request.jwt.claims) and the statement's values as bind parameters, and
// log_parameter_max_length_on_error = 0 keeps parameters out of error reports: the log shows the
// error and `$n`, never the token, the cookie, a claim or a payload. Directly and through pgBouncer,
// and in PeSquel's own request log neither.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { createLogger } from '../../src/observability/logger.js';
import { backendKinds, startTestApi, type TestApi } from '../helpers/backends.js';

const jwtSecret = 'secret-log-test-jwt-secret-of-at-least-32-chars';
const b64url = (s: string | Buffer) => Buffer.from(s).toString('base64url');

function sign(claims: Record<string, unknown>): string {
  const head = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
  return `${head}.${createHmac('sha256', jwtSecret).update(head).digest('base64url')}`;
}

/** Polls the server log until `done` holds (PostgreSQL writes it as it goes; no fixed sleep). */
async function logUntil(file: string, done: (log: string) => boolean, timeoutMs = 15_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const log = readFileSync(file, 'utf8');
    if (done(log) || Date.now() > until) return log;
    await delay(50);
  }
}

const kinds = backendKinds().filter((k) => k !== 'pglite'); // PGlite keeps no server log (checked: it prints nothing either)

for (const kind of kinds) {
  describe(`secrets stay out of PostgreSQL's log (${kind})`, () => {
    let api: TestApi;
    let logFile: string;
    const ownLog: string[] = [];
    before(async () => {
      const out = new PassThrough();
      out.on('data', (d: Buffer) => ownLog.push(d.toString()));
      api = await startTestApi(kind, {
        fixtures: ['secret-log.sql'],
        options: { 'jwt-secret': jwtSecret },
        start: { logger: createLogger('info', out) },
      });
      const [dir] = await api.sql(`SELECT current_setting('data_directory') AS dir`);
      logFile = join(dirname(String(dir?.dir)), 'postgres.log'); // test/helpers/postgres-server.ts: pg_ctl -l
    });
    after(async () => { await api?.close(); });

    it('runs with the logging defaults that echo failing statements', async () => {
      const [s] = await api.sql(`SELECT current_setting('log_min_error_statement') AS min_error_statement,
        current_setting('log_statement') AS statement, current_setting('log_parameter_max_length_on_error') AS params_on_error`);
      assert.deepEqual(s, { min_error_statement: 'error', statement: 'none', params_on_error: '0' });
    });

    it('logs the errors of failing requests without their token, cookie, claims or payload', async () => {
      const marker = randomBytes(8).toString('hex');
      const claim = `claim-${marker}`;
      const token = sign({ role: 'api_user', jti: claim });
      const cookie = `session-${marker}`;
      const payload = `payload-${marker}`;
      const headers = { Authorization: `Bearer ${token}`, Cookie: `session=${cookie}`, 'Content-Type': 'application/json' };
      const failing: Array<[string, RequestInit, number]> = [
        ['/secret_log_items', { method: 'POST', headers, body: JSON.stringify({ id: 1, name: payload }) }, 409], // 23505
        ['/secret_log_items?id=eq.not-a-number', { headers }, 400], // 22P02
        ['/rpc/secret_log_fail', { method: 'POST', headers, body: '{}' }, 400], // P0001
      ];
      for (const [path, init, status] of failing) {
        const r = await api.fetch(path, init);
        assert.equal(r.status, status, `${path}: ${await r.text()}`);
      }
      const expected = ['duplicate key value violates unique constraint "secret_log_items_pkey"', 'invalid input syntax for type integer: "not-a-number"', 'secret_log_fail raised on purpose'];
      const log = await logUntil(logFile, (l) => expected.every((e) => l.includes(e)));
      for (const e of expected) assert.ok(log.includes(e), `the log shows the error: ${e}`);
      for (const secret of [marker, token, token.split('.')[1] as string, cookie, claim, payload]) {
        assert.ok(!log.includes(secret), `PostgreSQL's log contains ${secret}`);
      }
      // The failing statement is echoed, with placeholders where the values were.
      const insert = log.split('\n').filter((l) => l.includes('STATEMENT:') && l.includes('INSERT INTO "api"."secret_log_items"'));
      assert.equal(insert.length, 1, log);
      assert.match(insert[0] as string, /\$1/);
      const own = ownLog.join('');
      assert.equal(own.split('\n').filter((l) => l.includes('"msg":"request"')).length >= failing.length, true, own);
      for (const secret of [marker, token, cookie, claim, payload]) assert.ok(!own.includes(secret), `PeSquel's log contains ${secret}`);
    });

    it('keeps the settings out of the log when the settings statement itself fails', async () => {
      const marker = randomBytes(8).toString('hex');
      const token = sign({ role: 'secret_log_limited', jti: `claim-${marker}` }); // its ALTER ROLE setting is superuser-only
      const r = await api.fetch('/secret_log_items', { headers: { Authorization: `Bearer ${token}`, Cookie: `session=session-${marker}` } });
      assert.ok(r.status >= 400, String(r.status));
      const log = await logUntil(logFile, (l) => l.includes('permission denied to set parameter "log_min_messages"'));
      assert.match(log, /permission denied to set parameter "log_min_messages"\n.*STATEMENT: {2}SELECT set_config\('role', \$1, true\)/);
      for (const secret of [marker, token, `session-${marker}`]) assert.ok(!log.includes(secret), `PostgreSQL's log contains ${secret}`);
    });
  });
}
