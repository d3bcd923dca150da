// "Run as" picker shared by the SQL editor and the API console: nobody (the admin's own role),
// a role, or a pasted JWT whose claims the query sees as request.jwt.claims.
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api';

export interface RunAsValue { mode: 'admin' | 'role' | 'jwt'; role: string; jwt: string }
export const noRunAs: RunAsValue = { mode: 'admin', role: '', jwt: '' };

export const runAsBody = (v: RunAsValue) =>
  v.mode === 'role' && v.role ? { role: v.role } : v.mode === 'jwt' && v.jwt.trim() ? { jwt: v.jwt.trim() } : undefined;

export function RunAsPicker({ value, onChange, adminLabel = 'admin' }: { value: RunAsValue; onChange: (v: RunAsValue) => void; adminLabel?: string }) {
  const [roles, setRoles] = useState<string[]>([]);
  useEffect(() => { void get<{ name: string }[]>('/api/security/roles').then((r) => setRoles(r.map((x) => x.name))); }, []);
  return (
    <span class="run-as">
      <label>run as{' '}
        <select aria-label="run as" value={value.mode === 'role' ? `role:${value.role}` : value.mode}
          onChange={(e) => {
            const v = e.currentTarget.value;
            onChange(v.startsWith('role:') ? { ...value, mode: 'role', role: v.slice(5) } : { ...value, mode: v as RunAsValue['mode'] });
          }}>
          <option value="admin">{adminLabel}</option>
          {roles.map((r) => <option key={r} value={`role:${r}`}>role {r}</option>)}
          <option value="jwt">JWT…</option>
        </select>
      </label>
      {value.mode === 'jwt' && (
        <input class="jwt" aria-label="JWT" placeholder="eyJ… (claims become request.jwt.claims)" value={value.jwt} onInput={(e) => onChange({ ...value, jwt: e.currentTarget.value })} />
      )}
    </span>
  );
}
