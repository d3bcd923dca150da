// openapi-security-active: PostgREST's `JWT` security definition (Authorization header) applied to the
// whole document, in Swagger 2.0 and OpenAPI 3; off (the default): the optional bearer token as before.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, type TestApi } from '../helpers/backends.js';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const swagger2 = { Accept: 'application/openapi+json;version=2.0' };
const oas3 = { Accept: 'application/openapi+json' };

describe('openapi-security-active (pglite)', () => {
  let active: TestApi;
  before(async () => {
    active = await startTestApi('pglite', { options: { 'openapi-security-active': 'true' } });
  });
  after(async () => { await active?.close(); });

  const doc = async (api: TestApi, headers: Record<string, string>) => {
    const r = await api.fetch('/', { headers });
    assert.equal(r.status, 200);
    return (await r.json()) as Doc;
  };

  it('declares and applies PostgREST\'s JWT scheme in Swagger 2.0', async () => {
    const d = await doc(active, swagger2);
    assert.equal(d.swagger, '2.0');
    assert.deepEqual(d.securityDefinitions.JWT, {
      type: 'apiKey', in: 'header', name: 'Authorization', description: 'Add the token prepending "Bearer " (without quotes) to it',
    });
    assert.deepEqual(d.security, [{ JWT: [] }]);
    // The auth service's operations keep their own scheme, still declared.
    assert.equal(d.securityDefinitions.bearerAuth.in, 'header');
  });

  it('declares and applies it in OpenAPI 3 too', async () => {
    const d = await doc(active, oas3);
    assert.equal(d.components.securitySchemes.JWT.type, 'apiKey');
    assert.deepEqual(d.security, [{ JWT: [] }]);
  });

  it('is off by default: the bearer token stays optional and no JWT scheme is declared', async () => {
    const plain = await startTestApi('pglite');
    try {
      const d = await doc(plain, swagger2);
      assert.equal(d.securityDefinitions.JWT, undefined);
      assert.deepEqual(d.security, [{ bearerAuth: [] }, {}]);
      assert.equal(plain.config.openapiSecurityActive, false);
    } finally {
      await plain.close();
    }
  });
});
