// Stops and starts a harness PostgreSQL server in place (same port, same data), so that tests can
// observe PeSquel while its database is down. pg_ctl runs as the data directory's owner (not root).
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PgServer } from '../helpers/postgres-server.js';

function pgCtl(server: PgServer, args: string[]): void {
  const bin = [`/usr/lib/postgresql/${server.majorVersion}/bin/pg_ctl`, 'pg_ctl'].find((p) => p === 'pg_ctl' || existsSync(p)) as string;
  const owner = statSync(server.dataDir).uid;
  const cmd = process.getuid?.() === 0 && owner !== 0 ? ['runuser', '-u', 'postgres', '--', bin] : [bin];
  execFileSync(cmd[0] as string, [...cmd.slice(1), ...args, '-D', server.dataDir, '-s'], { cwd: dirname(server.dataDir), stdio: 'ignore' });
}

export function stopPostgres(server: PgServer): void {
  pgCtl(server, ['stop', '-m', 'fast', '-w', '-t', '60']);
}

export function startPostgresAgain(server: PgServer): void {
  pgCtl(server, ['start', '-w', '-t', '60', '-l', join(dirname(server.dataDir), 'postgres.log')]);
}
