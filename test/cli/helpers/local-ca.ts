// A suite's own local CA: a fresh stack folder whose certificates/ setup's code fills before the
// suite's tests run (a new CA and leaf for `domain`), removed after them.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { ensureLocalCertificates } from '../../../src/cli/stack/tls-ca.js';
import { certificatesDir } from '../../../src/cli/stack/tls.js';
import { makeStackDir, removeStackDir } from './stack-dir.js';

export type LocalCaSuite = { stack: string; dir: string };

/** Call inside describe(); read `stack` and `dir` from the returned object in the tests. */
export function localCaSuite(domain: string): Readonly<LocalCaSuite> {
  const suite: LocalCaSuite = { stack: '', dir: '' };
  before(async () => {
    suite.stack = makeStackDir();
    suite.dir = certificatesDir(suite.stack);
    assert.deepEqual(await ensureLocalCertificates(suite.dir, domain), { ca: 'created', server: 'created', constrained: true });
  });
  after(() => removeStackDir(suite.stack));
  return suite;
}
