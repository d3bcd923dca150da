// The ports a start listens on, each with the option that sets it, checked before the database
// opens (seconds on PGlite) so that a busy port fails at once and names what to change.
import { createServer } from 'node:net';
import type { Config } from '../config/config.js';

export interface PortClaim {
  /** The setting (`server-port`) and its command-line flag (`--port`). */
  readonly option: string;
  readonly flag: string;
  readonly host: string;
  readonly port: number;
}

/** A port this start needs is taken: the message names the address and the flag that moves it. */
export class PortInUseError extends Error {
  constructor(readonly claim: PortClaim, cause?: unknown) {
    super(`port ${claim.port} on ${claim.host} is already in use (${claim.option}); choose another with ${claim.flag} N`, { cause });
    this.name = 'PortInUseError';
  }
}

/** The fixed ports of this configuration (0 means "any free port" for the API, "off" for the others). */
export function portClaims(config: Config): PortClaim[] {
  const claims: PortClaim[] = [];
  if (config.serverPort > 0 && config.serverUnixSocket === null) claims.push({ option: 'server-port', flag: '--port', host: config.serverHost, port: config.serverPort });
  if (config.adminServerPort > 0) claims.push({ option: 'admin-server-port', flag: '--admin-server-port', host: config.adminServerHost, port: config.adminServerPort });
  if (config.adminUiPort > 0) claims.push({ option: 'admin-ui-port', flag: '--admin-ui-port', host: config.adminServerHost, port: config.adminUiPort });
  if (config.dbUri === null && config.embeddedPsqlPort > 0) claims.push({ option: 'embedded-psql-port', flag: '--embedded-psql-port', host: '127.0.0.1', port: config.embeddedPsqlPort });
  return claims;
}

function probe(claim: PortClaim): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE' ? new PortInUseError(claim, err) : err));
    server.listen(claim.port, claim.host, () => server.close(() => resolve()));
  });
}

/** Binds and releases each claimed port; throws the first PortInUseError (or the bind error). */
export async function checkPortsFree(claims: readonly PortClaim[]): Promise<void> {
  const seen = new Map<number, PortClaim>();
  for (const c of claims) {
    const other = seen.get(c.port);
    if (other) throw new Error(`${other.option} and ${c.option} are both set to port ${c.port}; change one (${c.flag} N)`);
    seen.set(c.port, c);
  }
  const results = await Promise.allSettled(claims.map(probe));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Turns a listen error for `claim` into a PortInUseError (a port taken between check and listen). */
export function explainListenError(err: unknown, claim: PortClaim | undefined): unknown {
  return claim && (err as NodeJS.ErrnoException).code === 'EADDRINUSE' ? new PortInUseError(claim, err) : err;
}
