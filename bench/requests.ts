// Turns a scenario into the concrete HTTP requests sent to every server (same method, path,
// headers and body for PeSquel and the baselines), and mints the JWT for authenticated runs.
import { request } from 'node:http';
import { SignJWT } from 'jose';
import type { LoadRequest } from './load/http-load.js';
import { SCRIPT_HEADER } from './servers/script-table.js';
import { KEY_COUNT, keyed, todoKey, type Scenario } from './scenarios.js';

export type Auth = 'anon' | 'jwt';

export const scriptId = (s: Scenario, auth: Auth) => `${s.name}|${auth}`;

export async function benchToken(secret: string): Promise<string> {
  return new SignJWT({ role: 'api_user', sub: 'bench-user', email: 'bench@example.com' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime('6h')
    .sign(new TextEncoder().encode(secret));
}

/** One request per key for keyed scenarios (cycled by the load generator), else one. */
export function requestsFor(s: Scenario, auth: Auth, token: string): LoadRequest[] {
  const headers: Record<string, string> = { Accept: 'application/json', [SCRIPT_HEADER]: scriptId(s, auth) };
  if (s.body !== undefined) headers['Content-Type'] = 'application/json';
  if (auth === 'jwt') headers.Authorization = `Bearer ${token}`;
  const paths = keyed(s) ? Array.from({ length: KEY_COUNT }, (_, i) => s.path.replace('{key}', todoKey(i + 1))) : [s.path];
  return paths.map((path) => ({ method: s.method, path, headers, ...(s.body === undefined ? {} : { body: s.body }) }));
}

export interface OneResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** Sends one request and reads the whole response (capture and sanity checks, not load). */
export function sendOne(baseUrl: string, r: LoadRequest): Promise<OneResponse> {
  return new Promise((resolve, reject) => {
    const req = request(baseUrl + r.path, { method: r.method, headers: r.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({
        status: res.statusCode ?? 0,
        contentType: String(res.headers['content-type'] ?? ''),
        body: Buffer.concat(chunks).toString('utf8'),
      }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(r.body);
  });
}
