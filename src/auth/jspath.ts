// PostgREST's JSPath for jwt-role-claim-key: `.role`, `.app_metadata.role`, `."https://x/role".key`,
// `.roles[1]`, and v13's trailing filters `.roles[?(@ == "admin")]` (==, !=, ^==, ==^, *==).

export type JsPathStep =
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'filter'; readonly op: FilterOp; readonly value: string };

export type FilterOp = '==' | '!=' | '^==' | '==^' | '*==';

const filterOps: readonly FilterOp[] = ['^==', '==^', '*==', '==', '!='];

export class JsPathError extends Error {}

/** Parses `.a."b.c"[0]` into steps; throws JsPathError with the offending column. */
export function parseJsPath(text: string): JsPathStep[] {
  const steps: JsPathStep[] = [];
  let i = 0;
  const fail: (what: string) => never = (what) => { throw new JsPathError(`${what} at column ${i + 1} of '${text}'`); };
  const quoted = (): string => {
    let out = '';
    i++; // opening quote
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\' && i + 1 < text.length) i++;
      out += text[i];
      i++;
    }
    if (text[i] !== '"') fail('unterminated quoted key');
    i++;
    return out;
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '.') {
      i++;
      if (text[i] === '"') {
        steps.push({ kind: 'key', key: quoted() });
        continue;
      }
      const m = /^[A-Za-z0-9_$@-]+/.exec(text.slice(i));
      if (!m) fail('expected a key');
      steps.push({ kind: 'key', key: m[0] });
      i += m[0].length;
    } else if (c === '[') {
      const idx = /^\[(\d+)\]/.exec(text.slice(i));
      if (idx) {
        steps.push({ kind: 'index', index: Number(idx[1]) });
        i += idx[0].length;
        continue;
      }
      const f = /^\[\?\(@\s*(\^==|==\^|\*==|==|!=)\s*"((?:[^"\\]|\\.)*)"\s*\)\]/.exec(text.slice(i));
      if (!f) fail('expected [n] or [?(@ == "value")]');
      const op = filterOps.find((o) => o === f[1]) as FilterOp;
      steps.push({ kind: 'filter', op, value: (f[2] ?? '').replace(/\\(.)/g, '$1') });
      i += f[0].length;
      if (i < text.length) fail('a filter must be the last step');
    } else {
      fail('expected . or [');
    }
  }
  if (steps.length === 0) fail('empty path');
  return steps;
}

const matches: Record<FilterOp, (s: string, v: string) => boolean> = {
  '==': (s, v) => s === v,
  '!=': (s, v) => s !== v,
  '^==': (s, v) => s.startsWith(v),
  '==^': (s, v) => s.endsWith(v),
  '*==': (s, v) => s.includes(v),
};

/** Walks the claims; undefined when the path leads nowhere. A filter yields the first matching string. */
export function walkJsPath(value: unknown, steps: readonly JsPathStep[]): unknown {
  let cur: unknown = value;
  for (const step of steps) {
    if (step.kind === 'key') {
      if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined;
      if (!Object.prototype.hasOwnProperty.call(cur, step.key)) return undefined;
      cur = (cur as Record<string, unknown>)[step.key];
    } else if (step.kind === 'index') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[step.index];
    } else {
      if (!Array.isArray(cur)) return undefined;
      return cur.find((v): v is string => typeof v === 'string' && matches[step.op](v, step.value));
    }
  }
  return cur;
}

/** PostgREST's `unquoted`: a string claim as is, any other JSON value as its JSON text. */
export function roleText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
