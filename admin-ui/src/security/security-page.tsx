// Roles and security: roles with their memberships, each table's RLS switches and policies (with
// create / edit / drop), and the API console to try a request as another role.
import { useEffect, useState } from 'preact/hooks';
import { get, hasRole, post, q, type SessionInfo } from '../api';
import { ErrorBox, ObjectTable, errorOf } from '../ui/widgets';
import { PolicyEditor, type Policy } from './policy-editor';
import { ApiConsole } from './api-console';
import type { RelationDetails } from '../browser/relation-view';

interface RlsTable { oid: string; name: string; rls_enabled: string; rls_forced: string; policies: string }
interface Role { name: string; member_of: string[] }

export function SecurityPage({ session }: { session: SessionInfo }) {
  const [roles, setRoles] = useState<Role[]>([]);
  const [schema, setSchema] = useState(session.schemas?.[0] ?? 'public');
  const [tables, setTables] = useState<RlsTable[]>([]);
  const [selected, setSelected] = useState<RlsTable | null>(null);
  const [details, setDetails] = useState<RelationDetails | null>(null);
  const [editing, setEditing] = useState<{ policy: Policy | null } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const loadTables = () => get<RlsTable[]>(`/api/security/tables?${q({ schema })}`).then((t) => {
    setTables(t);
    const again = t.find((x) => x.oid === selected?.oid) ?? null;
    setSelected(again);
  }, setError);
  const loadDetails = (t: RlsTable | null) => (t ? get<RelationDetails>(`/api/catalog/relation?oid=${t.oid}`).then(setDetails, setError) : setDetails(null));
  useEffect(() => { void get<Role[]>('/api/security/roles').then(setRoles, setError); }, []);
  useEffect(() => { void loadTables(); }, [schema]);
  useEffect(() => { void loadDetails(selected); }, [selected?.oid]);

  const change = async (c: Record<string, unknown>, confirmText: string) => {
    const { sql } = await post<{ sql: string[] }>('/api/security/preview', { change: c });
    if (!confirm(`${confirmText}\n\n${sql.join('\n')}`)) return;
    try {
      await post('/api/security/apply', { change: c });
      setNotice(`Ran: ${sql.join(' ')}`);
      await loadTables();
      await loadDetails(selected);
    } catch (err) {
      setError(err);
    }
  };
  const rls = (t: RlsTable, enable: boolean, force: boolean) => change({ action: 'rls', schema, table: t.name, enable, force }, 'Run this SQL?');
  const drop = (p: Policy) => change({ action: 'drop', schema, table: selected!.name, name: p.name }, `Drop policy ${p.name}?`);

  return (
    <div class="security">
      <ErrorBox error={error ? errorOf(error) : null} />
      {notice && <p class="notice small">{notice}</p>}
      <div class="columns">
        <section>
          <h3>Roles</h3>
          <ObjectTable rows={roles as unknown as Record<string, unknown>[]} columns={['name', 'login', 'superuser', 'bypassrls', 'inherit', 'member_of']} />
        </section>
        <section>
          <h3>Row-level security in schema <input class="schema-input" aria-label="schema" value={schema} onChange={(e) => setSchema(e.currentTarget.value)} /></h3>
          <table class="grid">
            <thead><tr><th>table</th><th>RLS</th><th>forced</th><th>policies</th></tr></thead>
            <tbody>
              {tables.map((t) => (
                <tr key={t.oid} class={selected?.oid === t.oid ? 'selected' : ''}>
                  <td><button class="link" onClick={() => setSelected(t)}>{t.name}</button></td>
                  <td><input type="checkbox" disabled={!hasRole('editor')} aria-label={`RLS on ${t.name}`} checked={t.rls_enabled === 't'} onChange={(e) => void rls(t, e.currentTarget.checked, t.rls_forced === 't')} /></td>
                  <td><input type="checkbox" disabled={!hasRole('editor')} aria-label={`force RLS on ${t.name}`} checked={t.rls_forced === 't'} onChange={(e) => void rls(t, t.rls_enabled === 't', e.currentTarget.checked)} /></td>
                  <td>{t.policies}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
      {selected && details && (
        <section class="policies">
          <h3>Policies on {schema}.{selected.name} <button class="needs-editor" onClick={() => setEditing({ policy: null })}>New policy</button></h3>
          {details.relation.rls_enabled ? null : <p class="warn small">RLS is off on this table: policies have no effect until it is enabled.</p>}
          <table class="grid">
            <thead><tr><th>name</th><th>command</th><th>kind</th><th>roles</th><th>using</th><th>with check</th><th /></tr></thead>
            <tbody>
              {(details.policies as unknown as Policy[]).map((p) => (
                <tr key={p.name}>
                  <td>{p.name}</td><td>{p.command}</td><td>{p.permissive ? 'permissive' : 'restrictive'}</td><td>{p.roles.join(', ')}</td>
                  <td><code>{p.using}</code></td><td><code>{p.check}</code></td>
                  <td class="actions needs-editor"><button class="link" onClick={() => setEditing({ policy: p })}>Edit</button> <button class="link danger" onClick={() => void drop(p)}>Drop</button></td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>Grants on {schema}.{selected.name}</h3>
          <ObjectTable rows={details.grants} columns={['grantee', 'privileges', 'grantor']} />
        </section>
      )}
      <ApiConsole session={session} />
      {editing && selected && (
        <PolicyEditor schema={schema} table={selected.name} policy={editing.policy} roles={roles.map((r) => r.name)}
          onClose={() => setEditing(null)} onDone={() => { setEditing(null); setNotice('Policy saved.'); void loadTables(); void loadDetails(selected); }} />
      )}
    </div>
  );
}
