// Connection URIs as the start banner and error messages print them: no password anywhere.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { redactUri, withoutPassword } from '../../src/cli/redact.js';

describe('redactUri', () => {
  const cases: [string, string][] = [
    ['postgres://app:s3cret@db:5432/app', 'postgres://app:***@db:5432/app'],
    ['postgres://app@db/app', 'postgres://app@db/app'],
    ['postgres://app@db/app?password=s3cret&sslmode=require', 'postgres://app@db/app?password=***&sslmode=require'],
    ['postgresql://a:b%40c@h/d?sslpassword=k', 'postgresql://a:***@h/d?sslpassword=***'],
    ["host=db user=app password='s3 cret' dbname=app", 'host=db user=app password=*** dbname=app'],
    ['host=db password=s3cret', 'host=db password=***'],
  ];
  for (const [uri, shown] of cases) it(uri, () => assert.equal(redactUri(uri), shown));
});

describe('withoutPassword', () => {
  it('drops the password so that psql asks for it', () => {
    assert.equal(withoutPassword('postgres://app:s3cret@db:5432/app?password=x&sslmode=require'), 'postgres://app@db:5432/app?sslmode=require');
  });
});
