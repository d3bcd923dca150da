// Serves the embedded database over the PostgreSQL wire protocol on loopback, so psql and other
// tools can connect in development. Every client message goes through PgliteDb's mutex, held for
// the whole of a client transaction, and the session is reset whenever the client is idle, so a
// client can neither interleave with API transactions nor leave session state behind for them.
import { createServer, type Server, type Socket } from 'node:net';
import { timingSafeEqual, randomBytes } from 'node:crypto';
import type { PgliteDb } from './pglite.js';

const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;

function message(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}
const int32 = (n: number) => { const b = Buffer.alloc(4); b.writeInt32BE(n); return b; };
const cstr = (s: string) => Buffer.from(`${s}\0`, 'utf8');

function errorResponse(code: string, text: string): Buffer {
  return message('E', Buffer.concat([cstr('SFATAL'), cstr(`C${code}`), cstr(`M${text}`), Buffer.from([0])]));
}

/** The transaction status of the last ReadyForQuery in a backend reply, or null when there is none. */
export function lastReadyStatus(reply: Uint8Array): string | null {
  let status: string | null = null;
  let i = 0;
  while (i + 5 <= reply.length) {
    const len = ((reply[i + 1]! << 24) | (reply[i + 2]! << 16) | (reply[i + 3]! << 8) | reply[i + 4]!) >>> 0;
    if (reply[i] === 0x5a && len === 5) status = String.fromCharCode(reply[i + 5]!);
    i += 1 + len;
  }
  return status;
}

export interface WireOptions {
  readonly host: string;
  readonly port: number;
  readonly password: string;
}

export function serveWire(db: PgliteDb, opts: WireOptions): Promise<Server> {
  const server = createServer((socket) => void handle(db, socket, opts.password));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

async function handle(db: PgliteDb, socket: Socket, password: string): Promise<void> {
  socket.setNoDelay(true);
  let buf = Buffer.alloc(0);
  let waiter: (() => void) | null = null;
  let ended = false;
  socket.on('data', (d: Buffer) => { buf = Buffer.concat([buf, d]); waiter?.(); });
  socket.on('close', () => { ended = true; waiter?.(); });
  socket.on('error', () => undefined);
  const need = async (n: number): Promise<boolean> => {
    while (buf.length < n && !ended) await new Promise<void>((r) => { waiter = r; });
    waiter = null;
    return buf.length >= n;
  };
  const take = (n: number) => { const b = buf.subarray(0, n); buf = buf.subarray(n); return b; };

  // Startup: answer SSL/GSS requests with 'N', then read the startup packet.
  let params: Record<string, string>;
  for (;;) {
    if (!(await need(8))) return;
    const len = buf.readInt32BE(0);
    if (len < 8 || len > 10_000 || !(await need(len))) return void socket.destroy();
    const packet = take(len);
    const code = packet.readInt32BE(4);
    if (code === SSL_REQUEST || code === GSS_REQUEST) { socket.write('N'); continue; }
    if (code === CANCEL_REQUEST) return void socket.end();
    if (code !== PROTOCOL_3) return void socket.end(errorResponse('08P01', 'unsupported frontend protocol'));
    const parts = packet.subarray(8).toString('utf8').split('\0');
    params = {};
    for (let i = 0; i + 1 < parts.length; i += 2) if (parts[i]) params[parts[i] as string] = parts[i + 1] as string;
    break;
  }

  // Password authentication (cleartext is acceptable: the server listens on loopback only).
  socket.write(message('R', int32(3)));
  if (!(await need(5))) return;
  const plen = buf.readInt32BE(1);
  if (buf[0] !== 0x70 || plen > 1024 || !(await need(1 + plen))) return void socket.destroy();
  const given = Buffer.from(take(1 + plen).subarray(5).toString('utf8').replace(/\0$/, ''));
  const expected = Buffer.from(password);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return void socket.end(errorResponse('28P01', `password authentication failed for user "${params.user ?? ''}"`));
  }
  const status = (k: string, v: string) => message('S', Buffer.concat([cstr(k), cstr(v)]));
  socket.write(Buffer.concat([
    message('R', int32(0)),
    status('server_version', '17.5'), status('server_encoding', 'UTF8'), status('client_encoding', 'UTF8'),
    status('DateStyle', 'ISO, MDY'), status('integer_datetimes', 'on'), status('standard_conforming_strings', 'on'),
    status('TimeZone', 'UTC'), status('application_name', params.application_name ?? ''), status('is_superuser', 'on'),
    status('session_authorization', 'postgres'),
    message('K', Buffer.concat([int32(process.pid), randomBytes(4)])),
    message('Z', Buffer.from('I')),
  ]));

  // Messages: forward one at a time; hold the database from the first message until idle again.
  let release: (() => void) | null = null;
  const finishIdle = async () => {
    // Session state set outside a transaction must not reach API requests.
    await db.pg.exec('RESET ALL; RESET ROLE; RESET SESSION AUTHORIZATION').catch(() => undefined);
    release?.();
    release = null;
  };
  try {
    for (;;) {
      if (!(await need(5))) break;
      const len = buf.readInt32BE(1);
      if (len < 4 || !(await need(1 + len))) break;
      const msg = take(1 + len);
      if (msg[0] === 0x58) break; // Terminate
      release ??= await db.mutex.acquire();
      const reply = await db.pg.execProtocolRaw(new Uint8Array(msg));
      if (reply.length > 0) socket.write(reply);
      if (lastReadyStatus(reply) === 'I') await finishIdle();
    }
  } catch {
    socket.destroy();
  } finally {
    if (release) {
      // The client left mid-transaction: undo it before the API runs again.
      await db.pg.exec('ROLLBACK').catch(() => undefined);
      await finishIdle();
    }
    socket.end();
  }
}
