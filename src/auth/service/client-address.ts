// The client's address for per-IP rate limits: the socket address the HTTP adapter records on the
// request; behind a trusted proxy (auth-trust-proxy) the proxy's X-Forwarded-For entry is used
// instead: the last one, the only one the proxy itself wrote.

export function clientAddress(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  remoteAddress: string | undefined,
  trustProxy: boolean,
): string {
  if (trustProxy) {
    const xff = headers['x-forwarded-for'];
    const list = (Array.isArray(xff) ? xff.join(',') : xff ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
    const last = list[list.length - 1];
    if (last !== undefined) return last;
  }
  return remoteAddress ?? 'unknown';
}
