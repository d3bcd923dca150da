// Adapts a Handler to node:http: reads the body (with a size limit), writes status, headers,
// Content-Length and body.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors } from '../errors/codes.js';
import { toHttp } from '../errors/to-http.js';
import type { Handler } from './app.js';

export interface AdapterOptions {
  readonly maxBodyBytes?: number;
  readonly serverHeader?: string;
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') {
    req.resume();
    return null;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw Object.assign(errors.invalidBody(`Request body larger than ${limit} bytes`), {});
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function nodeHandler(handler: Handler, opts: AdapterOptions = {}) {
  const limit = opts.maxBodyBytes ?? 100 * 1024 * 1024;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let status: number;
    let headers: Record<string, string>;
    let body: string | Buffer | null;
    try {
      const raw = await readBody(req, limit);
      const r = await handler({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: raw, remoteAddress: req.socket.remoteAddress });
      ({ status, headers, body } = r);
    } catch (err) {
      const h = toHttp(err, false);
      ({ status, headers, body } = h);
    }
    if (opts.serverHeader) headers.Server = opts.serverHeader;
    // A string body goes to the socket as is: encoding it into a Buffer first would hold a second
    // copy of a large response for the whole write.
    const length = body === null ? 0 : typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.length;
    if (body !== null || status !== 204) headers['Content-Length'] = String(length);
    if (status === 204 || status === 304) delete headers['Content-Length'];
    res.writeHead(status, headers);
    res.end(req.method === 'HEAD' ? undefined : body ?? undefined);
  };
}
