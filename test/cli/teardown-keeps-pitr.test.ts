// teardown --secrets deletes what setup wrote, but never the point-in-time recovery passphrase or
// the S3 keys: without the passphrase the (encrypted) backup repository could not be read again.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CIPHER_FILE, S3_SECRET_FILES } from '../../src/cli/stack/pitr.js';
import { deleteSecretFiles, SETUP_FILES } from '../../src/cli/stack/remove.js';

describe('teardown --secrets and point-in-time recovery', () => {
  it('keeps the repository passphrase and S3 keys, deletes the rest of setup\'s files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pesquel-teardown-'));
    try {
      const kept = [CIPHER_FILE, ...S3_SECRET_FILES];
      for (const f of [...SETUP_FILES, ...kept]) writeFileSync(join(dir, f), 'x');
      assert.equal(deleteSecretFiles(dir), SETUP_FILES.length);
      assert.ok(existsSync(dir));
      assert.deepEqual(readdirSync(dir).sort(), [...kept].sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
