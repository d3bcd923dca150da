// A small SQL tokenizer for highlighting: keywords, strings, quoted names, numbers, comments,
// dollar-quoted bodies and parameters. Concatenating the tokens' text gives back the input.
export type TokenKind = 'kw' | 'str' | 'ident' | 'num' | 'comment' | 'op' | 'text' | 'param';
export interface Token { kind: TokenKind; text: string }

export const keywords = new Set(`select from where and or not null is in as on join left right inner outer full cross lateral group by order
having limit offset insert into values update set delete returning create table view materialized index unique primary key foreign
references drop alter add column constraint default check grant revoke to with recursive union all distinct case when then else end
begin commit rollback explain analyze function procedure returns language trigger policy using for role schema sequence extension
exists between like ilike true false asc desc nulls first last cast if replace security enable disable row level force execute do
declare return perform raise notice over partition window filter coalesce count sum avg min max now current_user session_user
only truncate cascade restrict vacuum comment owner database tablespace type enum domain boolean integer bigint text varchar uuid
timestamptz timestamp date jsonb json numeric serial bigserial smallint real double precision interval`.split(/\s+/));

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
