// A free loopback TCP port for servers whose port 0 means "off" (admin-server-port), or that must be
// told their port before they start (PostgreSQL, pgBouncer, a PeSquel child process).
//
// The kernel may hand the port it just freed to the next bind(0), so two calls in a row can return the
// same number (seen in CI: admin-server-port and embedded-psql-port both got 45523). Ports given out by
// this process are remembered and never given again.
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

const given = new Set<number>();

function bindZero(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (;;) {
    const port = await bindZero(host);
    if (given.has(port)) continue;
    given.add(port);
    return port;
  }
}
