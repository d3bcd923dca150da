// The results of one run: per statement its command, row count, time and rows; the error with its
// line and column in the editor; notices.
import { ErrorBox, ValueTable } from '../ui/widgets';
import type { ErrorBody } from '../api';

export interface StatementResult { statement: string; command: string; columns: { name: string }[]; rows: (string | null)[][]; rowCount: number; truncated: boolean; ms: number }
export interface RunResult { results: StatementResult[]; error: (ErrorBody & { statementIndex: number }) | null; notices: string[]; ms: number }

export function lineCol(text: string, position: number): { line: number; col: number } {
  const before = text.slice(0, Math.max(0, position - 1)).split('\n');
  return { line: before.length, col: before[before.length - 1]!.length + 1 };
}

export function Results({ run, text }: { run: RunResult; text: string }) {
  return (
    <div class="results">
      {run.results.map((r, i) => (
        <div key={i} class="result">
          <div class="result-head">
            <strong>{r.command}</strong>
            <span>{r.columns.length > 0 ? `${r.rowCount} row${r.rowCount === 1 ? '' : 's'}` : `${r.rowCount} affected`}</span>
            <span class="muted">{r.ms.toFixed(1)} ms</span>
            {r.truncated && <span class="warn">showing the first {r.rows.length}</span>}
            <code class="muted small sql-line">{r.statement.slice(0, 120)}</code>
          </div>
          {r.columns.length > 0 && <ValueTable columns={r.columns.map((c) => c.name)} rows={r.rows} />}
        </div>
      ))}
      {run.error && (
        <div class="result">
          <ErrorBox error={run.error} />
          {run.error.position !== undefined && (() => {
            const { line, col } = lineCol(text, run.error.position);
            return <p class="small">at line {line}, column {col} (statement {run.error.statementIndex + 1})</p>;
          })()}
        </div>
      )}
      {run.notices.map((n) => <p key={n} class="notice small">{n}</p>)}
      <p class="muted small">total {run.ms.toFixed(1)} ms</p>
    </div>
  );
}
