// A small SQL tokenizer for highlighting: keywords, strings, quoted names, numbers, comments,
// dollar-quoted bodies and parameters. Concatenating the tokens' text gives back the input.
import { postgresKeywords } from './keywords.js';

export type TokenKind = 'kw' | 'str' | 'ident' | 'num' | 'comment' | 'op' | 'text' | 'param';
export interface Token { kind: TokenKind; text: string }

/** Highlighted words: PostgreSQL's keyword list, plus type and function names that read like keywords. */
export const keywords = new Set([...postgresKeywords, ...`begin commit rollback perform raise notice declare return returns enum
coalesce count sum avg min max now current_user session_user boolean integer bigint text varchar uuid timestamptz timestamp date
jsonb json numeric serial bigserial smallint real double precision interval`.split(/\s+/)]);

const rules: [TokenKind, RegExp][] = [
  ['comment', /^--[^\n]*/],
  ['comment', /^\/\*[\s\S]*?(\*\/|$)/],
  ['str', /^[eE]'(\\.|''|[^'\\])*('|$)/],
  ['str', /^'(''|[^'])*('|$)/],
  ['str', /^\$([A-Za-z_]\w*)?\$[\s\S]*?(\$\1\$|$)/],
  ['ident', /^"(""|[^"])*("|$)/],
  ['param', /^\$\d+/],
  ['num', /^\d+(\.\d+)?([eE][+-]?\d+)?/],
  ['text', /^[A-Za-z_][\w$]*/],
  ['op', /^[^\sA-Za-z_\d'"$]+/],
  ['text', /^\s+/],
  ['text', /^./],
];

export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let rest = sql;
  while (rest.length > 0) {
    for (const [kind, re] of rules) {
      const m = re.exec(rest);
      if (m && m[0].length > 0) {
        const isKw = kind === 'text' && keywords.has(m[0].toLowerCase());
        out.push({ kind: isKw ? 'kw' : kind, text: m[0] });
        rest = rest.slice(m[0].length);
        break;
      }
    }
  }
  return out;
}
