// Starts the loopback wire-protocol endpoint of the embedded database (embedded-psql-port), with a
// password generated once and kept (mode 0600) in the data directory.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { PgliteDb } from './pglite.js';
import { serveWire } from './pglite-wire.js';
import type { Db } from './types.js';

export interface EmbeddedPsql {
  /** `postgres://postgres:<password>@127.0.0.1:<port>/postgres` */
  readonly url: string;
  /** The same without the password, for banners: `postgres://postgres@127.0.0.1:<port>/postgres` */
  readonly publicUrl: string;
  /** Where the password is kept. */
  readonly passwordFile: string;
  close(): Promise<void>;
}

export const psqlPasswordFile = (dataDir: string) => resolve(dataDir, 'pesquel-psql-password');

export function psqlPassword(dataDir: string): string {
  const file = psqlPasswordFile(dataDir);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(18).toString('base64url');
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/** Null when the database is not embedded or the port is 0; throws when the port is taken. */
export async function startEmbeddedPsql(db: Db, dataDir: string, port: number): Promise<EmbeddedPsql | null> {
  if (!(db instanceof PgliteDb) || port === 0) return null;
  const password = psqlPassword(dataDir);
  const server = await serveWire(db, { host: '127.0.0.1', port, password });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${actual}/postgres`,
    publicUrl: `postgres://postgres@127.0.0.1:${actual}/postgres`,
    passwordFile: psqlPasswordFile(dataDir),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
