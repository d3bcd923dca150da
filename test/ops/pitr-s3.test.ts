// pgBackRest's own S3 repository type against a local S3-compatible server (s3rver over HTTPS with a
// throwaway certificate; pgBackRest speaks HTTPS only): the same point-in-time drill as with a folder.
import { after, before, describe, it } from 'node:test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { ensureLocalCertificates } from '../../src/cli/stack/tls-ca.js';
import { LOCAL_FILES } from '../../src/cli/stack/tls.js';
import { pgBinariesAvailable, startPostgres, type PgServer } from '../helpers/postgres-server.js';
import { pointInTimeDrill } from './pitr-drill.js';
import { pitrFixture, type PitrFixture } from './pitr-local.js';

const BUCKET = 'pitr-repository';

describe('pesquel restore --to-time with an S3 repository (pgBackRest repo1-type=s3, local s3rver)', { skip: !pgBinariesAvailable() && 'no PostgreSQL binaries' }, () => {
  let s3: S3rver;
  let dir: string;
  let server: PgServer;
  let fx: PitrFixture;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pesquel-pitr-s3-'));
    const certs = join(dir, 'certs');
    await ensureLocalCertificates(certs, 'pesquel.localhost');
    s3 = new S3rver({
      port: 0, address: '127.0.0.1', silent: true, directory: join(dir, 'store'), configureBuckets: [{ name: BUCKET }],
      key: readFileSync(join(certs, LOCAL_FILES.key)), cert: readFileSync(join(certs, LOCAL_FILES.cert)),
    });
    const { port } = await s3.run();
    server = await startPostgres();
    // s3rver accepts any signature for its built-in key; the certificate is self-made, hence verify-tls=n.
    fx = await pitrFixture(server, () => [
      'repo1-type=s3', 'repo1-path=/pesquel', `repo1-s3-bucket=${BUCKET}`, 'repo1-s3-endpoint=127.0.0.1', `repo1-storage-port=${port}`,
      'repo1-s3-region=us-east-1', 'repo1-s3-key=S3RVER', 'repo1-s3-key-secret=S3RVER', 'repo1-s3-uri-style=path', 'repo1-storage-verify-tls=n',
    ].join('\n'));
  });
  after(async () => {
    await server?.stop();
    fx?.cleanup();
    await s3?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('restores to the noted time from the bucket: the first writes are there, the later ones are not', async () => {
    await pointInTimeDrill(server, fx, 'S3 repository');
  });
});
