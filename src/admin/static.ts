// Serves the built client (admin-ui/dist): hashed assets cached for a year, index.html never, and
// every other path falls back to index.html. Without a build, a page says how to make one.
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Reply } from './http-kit.js';
import { AdminError } from './errors.js';

// src/admin/static.ts and dist/admin/static.js sit at the same depth below the package root.
export const defaultClientDir = fileURLToPath(new URL('../../admin-ui/dist/', import.meta.url));

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.woff2': 'font/woff2',
};

// The client needs nothing but its own origin; inline styles come from Preact's style props.
const csp = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const notBuilt = `<!doctype html><meta charset="utf-8"><title>PeSquel admin</title>
<p style="font-family:sans-serif">The admin UI client is not built. Run <code>npm run build</code> (or <code>npm install</code>) in PeSquel's folder, then reload.</p>`;

export function staticFiles(dir: string) {
  const root = normalize(dir);
  return async (path: string): Promise<Reply> => {
    // `//`, `/\\` (read as `//`) and `//[` name another host to a URL parser: never a page here.
    if (path.includes('//')) throw new AdminError(400, 'bad-url', 'the request target must be a plain path');
    const index = join(root, 'index.html');
    if (!existsSync(index)) return { status: 503, body: notBuilt, headers: { 'Content-Type': 'text/html; charset=utf-8' } };
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      throw new AdminError(400, 'bad-path', 'malformed path');
    }
    if (decoded.includes('\0')) throw new AdminError(400, 'bad-path', 'malformed path');
    const file = normalize(join(root, decoded));
    const inside = file.startsWith(root.endsWith(sep) ? root : root + sep);
    if (inside && path !== '/' && existsSync(file) && extname(file) !== '') {
      const immutable = file.includes(`${sep}assets${sep}`);
      return {
        body: await readFile(file),
        headers: { 'Content-Type': types[extname(file)] ?? 'application/octet-stream', 'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache' },
      };
    }
    return { body: await readFile(index), headers: { 'Content-Type': types['.html']!, 'Content-Security-Policy': csp, 'X-Frame-Options': 'DENY' } };
  };
}
