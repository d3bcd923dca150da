// Raw HTTP/1.1 over a socket, for request lines fetch() would normalise (`//`, `/\`, tabs) and
// headers it would refuse: sends the bytes as given and reads the answer until the server closes.
import { connect } from 'node:net';

export interface RawReply {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

function dechunk(raw: string): string {
  let out = '';
  for (let at = 0; ;) {
    const eol = raw.indexOf('\r\n', at);
    const size = parseInt(raw.slice(at, eol), 16);
    if (!(size > 0)) return out;
    out += raw.slice(eol + 2, eol + 2 + size);
    at = eol + 2 + size + 2;
  }
}

/** `rawRequest(url, 'GET //[ HTTP/1.1', ['Host: x'])`: Connection: close is added. */
export function rawRequest(baseUrl: string, requestLine: string, headers: readonly string[] = []): Promise<RawReply> {
  const u = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(u.port), u.hostname);
    const chunks: Buffer[] = [];
    socket.setTimeout(30_000, () => socket.destroy(new Error(`no answer to ${JSON.stringify(requestLine)}`)));
    socket.on('error', reject);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
      if (!m) return reject(new Error(`no HTTP answer to ${JSON.stringify(requestLine)}: ${JSON.stringify(text.slice(0, 200))}`));
      const h: Record<string, string> = {};
      for (const l of lines) {
        const i = l.indexOf(':');
        if (i > 0) h[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      const raw = rest.join('\r\n\r\n');
      resolve({ status: Number(m[1]), headers: h, body: h['transfer-encoding'] === 'chunked' ? dechunk(raw) : raw });
    });
    socket.write(`${requestLine}\r\nHost: ${u.host}\r\n${headers.map((x) => x + '\r\n').join('')}Connection: close\r\n\r\n`);
  });
}

/** The request lines of issue 20 and their relatives: each must get an answer, never end the process. */
export const hostileTargets = [
  '//', '///', '//[', '//@:', '/\\', '/\\\\evil.example/x', '//evil.example/x', '//[::1]:80/', '/\\/evil.example',
  'http://evil.example/', 'http:', '*', '/%', '/%zz', '/%00', '/..%2f..%2fetc%2fpasswd', '/../../etc/passwd',
  '/api/%', '/api//session', '/api/session?%', '/?q=%zz', `/${'a'.repeat(6000)}`, '/\u00e9', '/%F0%9F%98',
];
