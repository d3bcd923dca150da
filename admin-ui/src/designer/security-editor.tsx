// The designer's security part: row-level security on or off, a policy created with this change
// (the table's first one, typically) and privileges granted to roles (the API's roles need them).
import type { Grant, Policy, TableSpec } from './model';
import { privileges } from './model';

const commands = ['ALL', 'SELECT', 'INSERT', 'UPDATE', 'DELETE'];
const blankPolicy = (): Policy => ({ name: '', command: 'SELECT', permissive: true, roles: [], using: 'true', check: null });

export function SecurityEditor({ table, roles, onChange }: { table: TableSpec; roles: string[]; onChange: (edit: (t: TableSpec) => TableSpec) => void }) {
  const p = table.policy;
  const setPolicy = (patch: Partial<Policy>) => onChange((t) => ({ ...t, policy: { ...(t.policy ?? blankPolicy()), ...patch } }));
  const setGrant = (i: number, g: Partial<Grant>) => onChange((t) => ({ ...t, grants: t.grants.map((x, j) => (j === i ? { ...x, ...g } : x)) }));
  const toggleIn = (list: string[], v: string) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);
  return (
    <section class="designer-section">
      <h3>Security</h3>
      <label><input type="checkbox" aria-label="enable row level security" checked={table.rls} onChange={(e) => { const rls = e.currentTarget.checked; onChange((t) => ({ ...t, rls })); }} /> Row-level security enabled</label>
      {!p ? <div><button type="button" onClick={() => onChange((t) => ({ ...t, rls: true, policy: blankPolicy() }))}>Add a policy</button></div> : (
        <div class="designer-item designer-policy">
          <input aria-label="policy name" placeholder="policy name" value={p.name} onInput={(e) => setPolicy({ name: e.currentTarget.value })} />
          <select aria-label="policy command" value={p.command} onChange={(e) => setPolicy({ command: e.currentTarget.value })}>{commands.map((c) => <option key={c}>{c}</option>)}</select>
          <span class="designer-choice" role="group" aria-label="policy roles">
            {roles.map((r) => <label key={r}><input type="checkbox" checked={p.roles.includes(r)} onChange={() => onChange((t) => ({ ...t, policy: t.policy && { ...t.policy, roles: toggleIn(t.policy.roles, r) } }))} />{r}</label>)}
          </span>
          {p.command !== 'INSERT' && <input aria-label="policy using" class="wide" placeholder="USING expression" value={p.using ?? ''} onInput={(e) => setPolicy({ using: e.currentTarget.value || null })} />}
          {p.command !== 'SELECT' && p.command !== 'DELETE' && <input aria-label="policy check" class="wide" placeholder="WITH CHECK expression" value={p.check ?? ''} onInput={(e) => setPolicy({ check: e.currentTarget.value || null })} />}
          <button type="button" class="link" onClick={() => onChange((t) => ({ ...t, policy: null }))}>remove</button>
        </div>
      )}
      <h4>Grants</h4>
      {table.grants.map((g, i) => (
        <div class="designer-item" key={i}>
          <select aria-label={`grant ${i + 1} role`} value={g.role} onChange={(e) => setGrant(i, { role: e.currentTarget.value })}>
            <option value="">role…</option>{roles.map((r) => <option key={r}>{r}</option>)}
          </select>
          <span class="designer-choice" role="group" aria-label={`grant ${i + 1} privileges`}>
            {privileges.map((x) => <label key={x}><input type="checkbox" checked={g.privileges.includes(x)} onChange={() => onChange((t) => ({ ...t, grants: t.grants.map((y, j) => (j === i ? { ...y, privileges: toggleIn(y.privileges, x) } : y)) }))} />{x}</label>)}
          </span>
          <button type="button" class="link" onClick={() => onChange((t) => ({ ...t, grants: t.grants.filter((_, j) => j !== i) }))}>remove</button>
        </div>
      ))}
      <button type="button" onClick={() => onChange((t) => ({ ...t, grants: [...t.grants, { role: '', privileges: ['SELECT'] }] }))}>Add grant</button>
    </section>
  );
}
