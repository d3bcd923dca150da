// Parses PostgREST's config file format: `key = "value"` lines, `#` comments, bare numbers/booleans.
import { ConfigError } from './config-error.js';

export function parseConfigFile(text: string, path: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) return;
    const m = /^([A-Za-z0-9_.-]+)\s*=\s*(.*)$/.exec(t);
    if (!m) throw new ConfigError(`${path}:${i + 1}`, `expected key = value, got '${t}'`);
    const key = m[1] as string;
    let value = (m[2] as string).trim();
    if (value.startsWith('"')) {
      const end = value.lastIndexOf('"');
      if (end <= 0) throw new ConfigError(`${path}:${i + 1}`, 'unterminated string');
      value = value.slice(1, end).replace(/\\(["\\])/g, '$1');
    } else {
      value = value.replace(/\s+#.*$/, '');
    }
    out.push([key, value]);
  });
  return out;
}
