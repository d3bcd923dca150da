// A tiny human-readable formatter for pino's JSON lines, used when stdout is a terminal:
//   19:04:11 INFO  request GET /todos 200 1.3ms role=api_anon
import { Writable } from 'node:stream';

const levelNames: Record<number, [string, string]> = {
  10: ['TRACE', '90'], 20: ['DEBUG', '90'], 30: ['INFO ', '32'], 40: ['WARN ', '33'], 50: ['ERROR', '31'], 60: ['FATAL', '35'],
};

export function formatLine(line: string, color: boolean): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const { level, time, msg, ...rest } = o;
  const [name, code] = levelNames[Number(level)] ?? ['LOG  ', '0'];
  const paint = (s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const clock = typeof time === 'string' ? time.slice(11, 19) : '';
  let text: string;
  if (msg === 'request') {
    const { method, path, status, ms, role, code: errorCode, ...more } = rest;
    text = `${String(method)} ${String(path)} ${String(status)} ${String(ms)}ms role=${String(role)}${errorCode ? ` ${String(errorCode)}` : ''}`;
    text += Object.keys(more).length ? ` ${JSON.stringify(more)}` : '';
  } else {
    text = `${String(msg ?? '')}${Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : ''}`;
  }
  return `${clock} ${paint(name)} ${text}`;
}

/** A Writable that pino writes JSON lines into and that prints them formatted to `out`. */
export function prettyStream(out: NodeJS.WritableStream & { isTTY?: boolean }): Writable {
  let pending = '';
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      pending += chunk.toString('utf8');
      let nl;
      while ((nl = pending.indexOf('\n')) >= 0) {
        out.write(formatLine(pending.slice(0, nl), out.isTTY === true) + '\n');
        pending = pending.slice(nl + 1);
      }
      done();
    },
  });
}
