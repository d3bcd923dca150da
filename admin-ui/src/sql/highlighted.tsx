// Read-only highlighted SQL (DDL, previews of statements about to run).
import { tokenize } from './highlight';

export function Tokens({ sql, errorAt }: { sql: string; errorAt?: number | null }) {
  let pos = 0;
  return (
    <>
      {tokenize(sql).map((t, i) => {
        const start = pos;
        pos += t.text.length;
        const hit = errorAt !== undefined && errorAt !== null && errorAt >= start && errorAt < pos;
        return <span key={i} class={`t-${t.kind}${hit ? ' t-error' : ''}`}>{t.text}</span>;
      })}
    </>
  );
}

export function HighlightedSql({ sql }: { sql: string }) {
  return <pre class="sql-view"><code><Tokens sql={sql} /></code></pre>;
}
