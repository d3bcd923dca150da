// The settings statement of a request: PostgREST's order, a shared (frozen) user's settings kept and
// rendered once, a per-request user's rendered afresh — the same text either way.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { requestScript } from '../../src/db/request-script.js';
import { requestSettings } from '../../src/http/settings.js';
import { parseRequest } from '../../src/request/parse-request.js';
import { unsafeRaw } from '../../src/sql/sql.js';
import type { AuthResult } from '../../src/auth/types.js';
import { filmsCache } from './embed-fixture.js';

const req = parseRequest({ method: 'GET', url: '/films?id=eq.1', headers: { host: 'h', cookie: 'a=1' }, body: null }, { schemas: ['api'] });
const settingsOf = (auth: AuthResult) => requestSettings(req, auth, filmsCache(), ['public'], {}, null);
const scriptOf = (auth: AuthResult) => requestScript({ readOnly: true, settings: settingsOf(auth), before: [], main: unsafeRaw('SELECT 1'), end: 'commit' }).script;

const shared: AuthResult = Object.freeze({ role: 'web', claims: Object.freeze({ role: 'web', sub: "o'brien" }), authenticated: true });
const perRequest = (): AuthResult => ({ role: 'web', claims: { role: 'web', sub: "o'brien" }, authenticated: true });

describe('request settings', () => {
  it("renders PostgREST's order, quoting every value", () => {
    assert.equal(scriptOf(perRequest()), [
      'BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY',
      `SELECT set_config('role', 'web', true), set_config('search_path', '"api", "public"', true), `
        + `set_config('request.jwt.claims', '{"role":"web","sub":"o''brien"}', true), `
        + `set_config('request.headers', '{"host":"h","cookie":"a=1"}', true), set_config('request.cookies', '{"a":"1"}', true), `
        + `set_config('request.method', 'GET', true), set_config('request.path', '/films', true)`,
      'SELECT 1',
      'COMMIT',
    ].join(';\n'));
  });

  it('keeps one frozen array of a shared user per schema, and the same text', () => {
    const a = settingsOf(shared);
    const b = settingsOf(shared);
    assert.equal(a.shared, b.shared);
    assert.ok(Object.isFrozen(a.shared));
    assert.notEqual(a.own, b.own);
    assert.equal(scriptOf(shared), scriptOf(perRequest()));
    assert.equal(scriptOf(shared), scriptOf(shared));
  });

  it("does not keep a per-request user's settings", () => {
    const a = settingsOf(perRequest());
    assert.notEqual(a.shared, settingsOf(perRequest()).shared);
    assert.ok(!Object.isFrozen(a.shared));
  });
});
