// The client's address for per-IP rate limits. main.ts runs each request inside
// `withClientAddress(socket address)`; behind a trusted proxy (auth-trust-proxy) the proxy's
// X-Forwarded-For entry is used instead: the last one, the only one the proxy itself wrote.
import { AsyncLocalStorage } from 'node:async_hooks';

const store = new AsyncLocalStorage<string>();

export function withClientAddress<T>(address: string | undefined, fn: () => T): T {
  return store.run(address ?? 'unknown', fn);
}

export function clientAddress(headers: Readonly<Record<string, string | string[] | undefined>>, trustProxy: boolean): string {
  if (trustProxy) {
    const xff = headers['x-forwarded-for'];
    const list = (Array.isArray(xff) ? xff.join(',') : xff ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
    const last = list[list.length - 1];
    if (last !== undefined) return last;
  }
  return store.getStore() ?? 'unknown';
}
