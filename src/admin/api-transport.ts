// The admin UI's API console sends its request to the running REST API: over TCP with fetch, or
// over the API's Unix socket (server-unix-socket, apiUrl `http+unix://<path, URI-encoded>/…`).
import { request } from 'node:http';

export interface ApiAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly text: string;
}

export interface ApiCall {
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
}

/** Sends `call` to `url`; rejects with the transport's error when nothing answers. */
export async function sendToApi(url: URL, call: ApiCall): Promise<ApiAnswer> {
  if (url.protocol !== 'http+unix:') {
    const r = await fetch(url, { method: call.method, headers: call.headers, body: call.body, redirect: 'manual' });
    return { status: r.status, headers: Object.fromEntries(r.headers.entries()), text: await r.text() };
  }
  return new Promise((resolve, reject) => {
    const req = request({
      socketPath: decodeURIComponent(url.host), path: `${url.pathname}${url.search}`, method: call.method,
      headers: { ...call.headers, Host: 'localhost', ...(call.body === undefined ? {} : { 'Content-Length': String(Buffer.byteLength(call.body)) }) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
        resolve({ status: res.statusCode ?? 0, headers, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end(call.body);
  });
}
