// A connection URI as it may be printed: the password (in the authority or in the query string,
// `?password=` / `sslpassword=`) replaced by ***. Key/value connection strings are handled too.
const secretKeys = /^(password|sslpassword|sslkey)$/i;

export function redactUri(uri: string): string {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return uri.replace(/\b(password|sslpassword)\s*=\s*('(?:[^'\\]|\\.)*'|\S+)/gi, '$1=***');
  }
  if (url.password !== '') url.password = '***';
  for (const key of [...url.searchParams.keys()]) if (secretKeys.test(key)) url.searchParams.set(key, '***');
  return url.toString().replace(/%2A%2A%2A/g, '***');
}

/** The URI without any password, for a command to copy (psql then asks for it). */
export function withoutPassword(uri: string): string {
  try {
    const url = new URL(uri);
    url.password = '';
    for (const key of [...url.searchParams.keys()]) if (secretKeys.test(key)) url.searchParams.delete(key);
    return url.toString();
  } catch {
    return redactUri(uri);
  }
}
