// `pesquel backup --to s3://…` against a local S3-compatible server (s3rver, started here): upload with the
// manifest, retention applied in the bucket, `--list --from`, restore from s3://. Plus the pure parts:
// location parsing, where settings come from, and the retention rule.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import type { Manifest } from '../../src/backup/manifest.js';
import { parseS3Url, s3Settings, splitS3Object } from '../../src/backup/s3-location.js';
import { doomedBackups } from '../../src/backup/s3-retention.js';
import { s3Client, uploadBackup } from '../../src/backup/s3-store.js';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pgBinariesAvailable, startPostgres, type PgServer } from '../helpers/postgres-server.js';
import { pesquel } from './cli.js';

const BUCKET = 'pesquel-backups';
const KEY = { id: 'S3RVER', secret: 'S3RVER' };

describe('S3 locations, settings and retention', () => {
  it('parses s3:// URLs and rejects bad ones', () => {
    assert.deepEqual(parseS3Url('s3://my-bucket/prod/db/'), { bucket: 'my-bucket', prefix: 'prod/db/' });
    assert.deepEqual(parseS3Url('s3://my-bucket'), { bucket: 'my-bucket', prefix: '' });
    assert.deepEqual(splitS3Object('s3://my-bucket/p/pesquel-postgres-x.dump'), { location: { bucket: 'my-bucket', prefix: 'p/' }, file: 'pesquel-postgres-x.dump' });
    for (const bad of ['http://x/y', 's3://A_B/x', 's3://', 'my-bucket/x']) assert.throws(() => parseS3Url(bad), /expected s3:\/\/bucket\/prefix/);
    assert.throws(() => splitS3Object('s3://my-bucket/'), /names a bucket/);
  });

  it('takes flags first, then the secrets files, then AWS_* (and their _FILE forms)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pesquel-s3-settings-'));
    try {
      const env = { AWS_ENDPOINT_URL: 'http://env.example:9000', AWS_REGION: 'eu-north-1', AWS_ACCESS_KEY_ID: 'envkey', AWS_SECRET_ACCESS_KEY: 'envsecret' };
      assert.deepEqual(s3Settings({}, env), { region: 'eu-north-1', endpoint: 'http://env.example:9000', credentials: { accessKeyId: 'envkey', secretAccessKey: 'envsecret' } });
      writeFileSync(join(dir, 'pitr_s3_endpoint.txt'), 'minio.example:9000\n');
      writeFileSync(join(dir, 'pitr_s3_key.txt'), 'filekey\n');
      writeFileSync(join(dir, 'pitr_s3_key_secret.txt'), 'filesecret\n');
      assert.deepEqual(s3Settings({ secretsDir: dir, region: 'us-west-2' }, env),
        { region: 'us-west-2', endpoint: 'https://minio.example:9000', credentials: { accessKeyId: 'filekey', secretAccessKey: 'filesecret' } });
      writeFileSync(join(dir, 'secret'), 'from-file\n');
      assert.deepEqual(s3Settings({}, { AWS_ACCESS_KEY_ID: 'k', AWS_SECRET_ACCESS_KEY_FILE: join(dir, 'secret') }).credentials, { accessKeyId: 'k', secretAccessKey: 'from-file' });
      assert.deepEqual(s3Settings({}, {}), { region: 'us-east-1' }, 'the SDK chain decides the rest');
      assert.throws(() => s3Settings({}, { AWS_ACCESS_KEY_ID: 'k' }), /both an access key id and a secret/);
      assert.throws(() => s3Settings({ endpoint: 'http://' }, {}), /is not a URL/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('applies the local retention rule: the N newest, nothing older than the age limit, never the newest', () => {
    const day = 86_400_000;
    const now = Date.parse('2026-12-04T12:00:00Z');
    const m = (daysAgo: number) => ({ file: `f${daysAgo}`, createdAt: new Date(now - daysAgo * day).toISOString() }) as Manifest;
    const all = [m(0), m(1), m(2), m(40), m(50)];
    assert.deepEqual(doomedBackups(all, 3, 30, now).map((x) => x.file), ['f40', 'f50']);
    assert.deepEqual(doomedBackups(all, 2, 0, now).map((x) => x.file), ['f2', 'f40', 'f50']);
    assert.deepEqual(doomedBackups([m(90)], 1, 30, now), [], 'the newest stays whatever its age');
  });
});

describe('the S3 client as configured for S3-compatible endpoints', () => {
  it('signs with SigV4 for the key and region, addresses the bucket in the path, and sends plain bodies', async () => {
    const seen: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (d: string) => { body += d; });
      req.on('end', () => { seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body }); res.end(); });
    });
    server.on('error', () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const dir = mkdtempSync(join(tmpdir(), 'pesquel-s3-sign-'));
    try {
      const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const client = s3Client({ endpoint, region: 'eu-central-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI-example' } });
      writeFileSync(join(dir, 'f.dump'), 'dump-bytes');
      await uploadBackup(client, { bucket: 'my-bucket', prefix: 'p/' }, join(dir, 'f.dump'), { file: 'f.dump' } as Manifest);
      client.destroy();
      assert.deepEqual(seen.map((r) => `${r.method} ${r.url.split('?')[0]}`), ['PUT /my-bucket/p/f.dump', 'PUT /my-bucket/p/f.dump.json']);
      const auth = String(seen[0]?.headers.authorization);
      assert.match(auth, /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-central-1\/s3\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$/);
      assert.ok(!auth.includes('wJalrXUtnFEMI-example'), 'the secret key signs, it is never sent');
      assert.equal(seen[0]?.body, 'dump-bytes', 'no aws-chunked framing in the stored object');
      assert.equal(seen[0]?.headers['content-encoding'], undefined);
      assert.match(String(seen[0]?.headers['x-amz-content-sha256']), /^([0-9a-f]{64}|UNSIGNED-PAYLOAD)$/);
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('pesquel backup --to s3:// (local S3-compatible server)', { skip: !pgBinariesAvailable() && 'no PostgreSQL binaries' }, () => {
  let s3: S3rver;
  let endpoint: string;
  let client: S3Client;
  let server: PgServer;
  let cwd: string;
  const env = () => ({ AWS_ACCESS_KEY_ID: KEY.id, AWS_SECRET_ACCESS_KEY: KEY.secret, AWS_REGION: 'us-east-1' });

  before(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'pesquel-s3-test-'));
    s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: join(cwd, 's3') });
    const { port } = await s3.run();
    endpoint = `http://127.0.0.1:${port}`;
    client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: KEY.id, secretAccessKey: KEY.secret } });
    await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
    server = await startPostgres();
    const { default: pg } = await import('pg');
    const c = new pg.Client({ connectionString: server.superUrl });
    await c.connect();
    await c.query(`CREATE TABLE public.notes (id int PRIMARY KEY, body text); INSERT INTO public.notes SELECT g, 'n' || g FROM generate_series(1, 25) g`);
    await c.end();
  });
  after(async () => {
    client?.destroy();
    await s3?.close();
    await server?.stop();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('uploads each backup with its manifest and keeps --keep of them in the bucket', async () => {
    const to = `s3://${BUCKET}/nightly/db`;
    const written: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await pesquel(['backup', '--db-url', server.superUrl, '--to', to, '--s3-endpoint', endpoint, '--keep', '2'], { cwd, env: env() });
      assert.equal(r.code, 0, r.stderr);
      const m = /Backup written: (s3:\/\/\S+) \(.*1 tables, 25 rows/.exec(r.stdout);
      assert.ok(m, r.stdout);
      written.push(m[1] as string);
      if (i === 2) assert.match(r.stdout, new RegExp(`Removed old backup ${written[0]!.replace(/[.]/g, '\\.')}`));
      assert.ok(!(r.stdout + r.stderr).includes(server.superPassword));
    }
    const objects = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'nightly/db/' }));
    const names = (objects.Contents ?? []).map((o) => o.Key).sort();
    const expected = written.slice(1).flatMap((u) => { const k = u.replace(`s3://${BUCKET}/`, ''); return [k, `${k}.json`]; }).sort();
    assert.deepEqual(names, expected);

    const list = await pesquel(['backup', '--list', '--from', to, '--s3-endpoint', endpoint], { cwd, env: env() });
    assert.equal(list.code, 0, list.stderr);
    assert.equal(list.stdout.trim().split('\n').length, 2, list.stdout);
    assert.match(list.stdout, /1 tables, 25 rows/);

    const check = await pesquel(['restore', written[2] as string, '--check', '--db-url', server.superUrl, '--s3-endpoint', endpoint], { cwd, env: env() });
    assert.equal(check.code, 0, check.stderr + check.stdout);
    assert.match(check.stdout, /Restore check passed: 1 tables, 25 rows/);
  });

  it('reads the keys from a secrets folder, and says clearly what is wrong', async () => {
    const secrets = join(cwd, 'secrets');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(secrets, { mode: 0o700 });
    for (const [f, v] of [['pitr_s3_endpoint.txt', endpoint], ['pitr_s3_key.txt', KEY.id], ['pitr_s3_key_secret.txt', KEY.secret]]) writeFileSync(join(secrets, f as string), `${v}\n`, { mode: 0o600 });
    const r = await pesquel(['backup', '--list', '--to', `s3://${BUCKET}/nightly/db`, '--s3-secrets', secrets], { cwd });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim().split('\n').length, 2);
    const empty = await pesquel(['backup', '--list', '--from', `s3://${BUCKET}/nothing-here`, '--s3-secrets', secrets], { cwd });
    assert.match(empty.stdout, /No backups in s3:\/\/pesquel-backups\/nothing-here\//);
    const bad = await pesquel(['backup', '--to', 's3://Bad_Bucket/x', '--db-url', server.superUrl], { cwd, env: env() });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /expected s3:\/\/bucket\/prefix/);
    const noBucket = await pesquel(['backup', '--list', '--from', 's3://no-such-bucket/x', '--s3-endpoint', endpoint], { cwd, env: env() });
    assert.equal(noBucket.code, 1);
    assert.match(noBucket.stderr, /listing s3:\/\/no-such-bucket\/x\/ failed: /);
  });
});
