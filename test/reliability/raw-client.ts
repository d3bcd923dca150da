// A raw HTTP/1.1 client for the limits suite: headers and body sent in pieces when the test says so,
// one response parsed as soon as it is complete (the connection may stay open), and whether the
// server closed the connection afterwards.
import { connect, type Socket } from 'node:net';

export interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface RawConnection {
  readonly socket: Socket;
  /** Sends bytes as given (ignored once the server has closed). */
  send(text: string | Buffer): void;
  /** The next complete response. */
  answer(): Promise<RawAnswer>;
  /** Resolves when the server has closed the connection. */
  readonly closed: Promise<void>;
}

export async function rawConnect(baseUrl: string): Promise<RawConnection> {
  const u = new URL(baseUrl);
  const socket = connect(Number(u.port), u.hostname);
  socket.on('error', () => undefined); // a reset after the server's answer is expected here
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let buffer = Buffer.alloc(0);
  let waiting: (() => void) | null = null;
  let ended = false;
  socket.on('data', (c: Buffer) => {
    buffer = Buffer.concat([buffer, c]);
    waiting?.();
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => {
    ended = true;
    waiting?.();
    resolve();
  }));
  const parse = (): RawAnswer | null => {
    const end = buffer.indexOf('\r\n\r\n');
    if (end < 0) return null;
    const [statusLine = '', ...lines] = buffer.subarray(0, end).toString('latin1').split('\r\n');
    const headers: Record<string, string> = {};
    for (const l of lines) {
      const i = l.indexOf(':');
      if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
    }
    const length = Number(headers['content-length'] ?? 0);
    if (buffer.length < end + 4 + length) return null;
    const body = buffer.subarray(end + 4, end + 4 + length).toString('utf8');
    buffer = buffer.subarray(end + 4 + length);
    return { status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0), headers, body };
  };
  return {
    socket,
    send: (text) => {
      if (!socket.destroyed && socket.writable) socket.write(text);
    },
    answer: () => new Promise<RawAnswer>((resolve, reject) => {
      const attempt = () => {
        const a = parse();
        if (a !== null) {
          waiting = null;
          resolve(a);
        } else if (ended) {
          waiting = null;
          reject(new Error(`connection closed without a complete answer: ${JSON.stringify(buffer.toString('latin1').slice(0, 200))}`));
        }
      };
      waiting = attempt;
      attempt();
    }),
    closed,
  };
}

/** The head of a request, `Host` included. */
export function requestHead(baseUrl: string, method: string, path: string, headers: readonly string[] = []): string {
  return `${method} ${path} HTTP/1.1\r\nHost: ${new URL(baseUrl).host}\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`;
}
