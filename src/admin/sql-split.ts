// Splits an SQL editor script into statements, with each statement's offset in the script, so
// statements run one by one (row counts, timings) and error positions point into the editor.
// Knows quotes, E'' strings, quoted identifiers, dollar quotes, -- and nested /* */ comments.

export interface Statement {
  readonly text: string;
  /** Offset of `text` in the script (0-based, UTF-16 units). */
  readonly offset: number;
}

/** `splitStatements("select 1; select ';'")` → [{text:'select 1',offset:0},{text:"select ';'",offset:10}] */
export function splitStatements(script: string): Statement[] {
  const out: Statement[] = [];
  let start = 0;
  let i = 0;
  const n = script.length;
  const push = (end: number) => {
    const raw = script.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    if (text !== '' && !isOnlyComments(text)) out.push({ text, offset: start + lead });
  };
  while (i < n) {
    const c = script[i];
    const next = script[i + 1];
    if (c === '-' && next === '-') {
      while (i < n && script[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      i = skipBlockComment(script, i);
    } else if (c === "'") {
      const escapes = i > 0 && /[eE]/.test(script[i - 1] ?? '') && !/[\w$]/.test(script[i - 2] ?? '');
      i = skipQuoted(script, i, "'", escapes);
    } else if (c === '"') {
      i = skipQuoted(script, i, '"', false);
    } else if (c === '$') {
      const m = /^\$([A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/.exec(script.slice(i));
      if (m && !/[\w$]/.test(script[i - 1] ?? '')) {
        const close = script.indexOf(m[0], i + m[0].length);
        i = close < 0 ? n : close + m[0].length;
      } else i++;
    } else if (c === ';') {
      push(i);
      i++;
      start = i;
    } else i++;
  }
  push(n);
  return out;
}

function skipBlockComment(s: string, i: number): number {
  let depth = 0;
  while (i < s.length) {
    if (s[i] === '/' && s[i + 1] === '*') { depth++; i += 2; }
    else if (s[i] === '*' && s[i + 1] === '/') { depth--; i += 2; if (depth === 0) return i; }
    else i++;
  }
  return i;
}

function skipQuoted(s: string, i: number, q: string, backslashEscapes: boolean): number {
  i++;
  while (i < s.length) {
    if (backslashEscapes && s[i] === '\\') { i += 2; continue; }
    if (s[i] === q) {
      if (s[i + 1] === q) { i += 2; continue; }
      return i + 1;
    }
    i++;
  }
  return i;
}

function isOnlyComments(text: string): boolean {
  return text.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '').trim() === '';
}

/** True when the statements leave a transaction block open (BEGIN without COMMIT/ROLLBACK). */
export function leavesTransactionOpen(statements: readonly Statement[]): boolean {
  let open = false;
  for (const s of statements) {
    const head = s.text.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*/, '').slice(0, 20).toUpperCase();
    if (/^(BEGIN|START\s+TRANSACTION)\b/.test(head)) open = true;
    else if (/^(COMMIT|END|ROLLBACK|ABORT)\b/.test(head) && !/^ROLLBACK\s+TO\b/.test(head)) open = false;
  }
  return open;
}
