// A real HTTPS server with a given certificate and Node's TLS client trusting only a given CA: what a
// browser that trusts the local CA would conclude, with OpenSSL's chain and name-constraint checks.
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:tls';

export type Handshake = { authorized: boolean; error?: string; message?: string; body?: string };
export type HandshakeOptions = { servername?: string; ca?: string; checkHost?: boolean };

/** Serves `hello over TLS` with `cert`/`key`; the client asks for `servername` and trusts only `ca` (Node's roots when unset). */
export async function handshake(cert: string, key: string, o: HandshakeOptions): Promise<Handshake> {
  const server = createServer({ cert, key }, (_req, res) => res.end('hello over TLS'));
  server.on('tlsClientError', () => { /* the client refusing the certificate is the point of some cases */ });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // checkHost false leaves only the chain to judge (the name a certificate holds is then not compared).
  const identity = o.checkHost === false ? { checkServerIdentity: () => undefined } : {};
  try {
    return await new Promise((resolve) => {
      const socket = connect({ host: '127.0.0.1', port, ...(o.servername === undefined ? {} : { servername: o.servername }), ...(o.ca === undefined ? {} : { ca: o.ca }), ...identity });
      socket.on('error', (err: NodeJS.ErrnoException) => resolve({ authorized: false, error: err.code ?? 'ERROR', message: err.message }));
      socket.on('secureConnect', () => {
        let body = '';
        socket.setEncoding('utf8').on('data', (d: string) => { body += d; });
        socket.on('end', () => resolve({ authorized: socket.authorized, body }));
        socket.end(`GET / HTTP/1.1\r\nHost: ${o.servername ?? '127.0.0.1'}\r\nConnection: close\r\n\r\n`);
      });
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}
