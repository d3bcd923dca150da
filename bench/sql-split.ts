// Splits a simple-protocol script into its statements at top-level semicolons, skipping quoted
// strings ('…', E'…', "…"), dollar-quoted bodies and comments, so baseline 2 can send PeSquel's
// one-round-trip transaction statement by statement.

export function splitStatements(script: string): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  const n = script.length;
  while (i < n) {
    const c = script[i];
    if (c === "'" || c === '"') {
      // E'…' strings may escape a quote with a backslash; standard strings double it.
      const escapes = c === "'" && /[eE]/.test(script[i - 1] ?? '') && !/\w/.test(script[i - 2] ?? '');
      i++;
      while (i < n) {
        if (escapes && script[i] === '\\') i += 2;
        else if (script[i] === c && script[i + 1] === c) i += 2;
        else if (script[i] === c) break;
        else i++;
      }
      i++;
    } else if (c === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z_0-9]*)?\$/.exec(script.slice(i, i + 64))?.[0];
      if (tag === undefined) {
        i++;
        continue;
      }
      const end = script.indexOf(tag, i + tag.length);
      i = end < 0 ? n : end + tag.length;
    } else if (c === '-' && script[i + 1] === '-') {
      const nl = script.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
    } else if (c === '/' && script[i + 1] === '*') {
      const end = script.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === ';') {
      out.push(script.slice(start, i).trim());
      i++;
      start = i;
    } else i++;
  }
  out.push(script.slice(start).trim());
  return out.filter((s) => s !== '');
}
