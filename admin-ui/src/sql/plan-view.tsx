// EXPLAIN (ANALYZE, FORMAT JSON) as a readable tree: each node with its own share of the time,
// actual against estimated rows (a big miss is flagged), loops and the details that matter.
interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Schema?: string;
  Alias?: string;
  'Index Name'?: string;
  'Join Type'?: string;
  'Actual Total Time'?: number;
  'Actual Rows'?: number;
  'Plan Rows'?: number;
  'Actual Loops'?: number;
  Filter?: string;
  'Index Cond'?: string;
  'Hash Cond'?: string;
  'Join Filter'?: string;
  'Rows Removed by Filter'?: number;
  'Sort Key'?: string[];
  Plans?: PlanNode[];
}
export interface Explained { Plan: PlanNode; 'Planning Time': number; 'Execution Time': number }

const total = (n: PlanNode) => (n['Actual Total Time'] ?? 0) * (n['Actual Loops'] ?? 1);
const exclusive = (n: PlanNode) => Math.max(0, total(n) - (n.Plans ?? []).reduce((s, c) => s + total(c), 0));

function Node({ n, execMs }: { n: PlanNode; execMs: number }) {
  const own = exclusive(n);
  const share = execMs > 0 ? Math.min(100, (own / execMs) * 100) : 0;
  const est = n['Plan Rows'] ?? 0;
  const act = n['Actual Rows'] ?? 0;
  const off = est > 0 && act > 0 ? Math.max(est / act, act / est) : 1;
  const details = [
    n['Index Cond'] && `index cond: ${n['Index Cond']}`, n['Hash Cond'] && `hash cond: ${n['Hash Cond']}`,
    n['Join Filter'] && `join filter: ${n['Join Filter']}`, n.Filter && `filter: ${n.Filter}`,
    n['Rows Removed by Filter'] ? `rows removed by filter: ${n['Rows Removed by Filter']}` : null,
    n['Sort Key'] && `sort key: ${n['Sort Key'].join(', ')}`,
  ].filter(Boolean);
  return (
    <li>
      <div class="plan-node">
        <div class="bar" style={{ width: `${share}%` }} />
        <strong>{n['Join Type'] ? `${n['Join Type']} ` : ''}{n['Node Type']}</strong>
        {n['Relation Name'] && <> on <code>{n.Schema ? `${n.Schema}.` : ''}{n['Relation Name']}</code>{n.Alias && n.Alias !== n['Relation Name'] ? ` ${n.Alias}` : ''}</>}
        {n['Index Name'] && <> using <code>{n['Index Name']}</code></>}
        <span class="plan-stats">
          {own.toFixed(3)} ms self ({share.toFixed(0)}%) · rows {act} of {est} estimated{off >= 10 ? <span class="warn"> (off ×{off.toFixed(0)})</span> : ''} · loops {n['Actual Loops'] ?? 1}
        </span>
        {details.map((d) => <div key={d as string} class="small muted">{d}</div>)}
      </div>
      {n.Plans && <ul>{n.Plans.map((c, i) => <Node key={i} n={c} execMs={execMs} />)}</ul>}
    </li>
  );
}

export function PlanView({ plan }: { plan: Explained }) {
  return (
    <div class="plan">
      <p class="muted">Planning {plan['Planning Time'].toFixed(3)} ms · execution {plan['Execution Time'].toFixed(3)} ms · run in a transaction that was rolled back</p>
      <ul class="plan-tree"><Node n={plan.Plan} execMs={plan['Execution Time']} /></ul>
    </div>
  );
}
