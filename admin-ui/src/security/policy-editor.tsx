// Creates or edits a row-level security policy: the form becomes a change, the server shows its
// SQL, and "Apply" runs it in one transaction (an edit is DROP + CREATE).
import { useState } from 'preact/hooks';
import { post } from '../api';
import { ErrorBox, Modal, errorOf } from '../ui/widgets';
import { HighlightedSql } from '../sql/highlighted';

export interface Policy { name: string; command: string; permissive: boolean | string; roles: string[]; using: string | null; check: string | null }
type Change = Record<string, unknown>;

export function PolicyEditor({ schema, table, policy, roles, onClose, onDone }: {
  schema: string; table: string; policy: Policy | null; roles: string[]; onClose: () => void; onDone: () => void;
}) {
  const [name, setName] = useState(policy?.name ?? '');
  const [command, setCommand] = useState(policy?.command ?? 'SELECT');
  const [permissive, setPermissive] = useState(policy ? policy.permissive === true || policy.permissive === 't' : true);
  const [to, setTo] = useState<string[]>(policy?.roles ?? []);
  const [using, setUsing] = useState(policy?.using ?? '');
  const [check, setCheck] = useState(policy?.check ?? '');
  const [preview, setPreview] = useState<{ change: Change; sql: string[] } | null>(null);
  const [error, setError] = useState<unknown>(null);

  const build = (): Change => {
    const spec = {
      schema, table, name, command, permissive, roles: to,
      using: command === 'INSERT' ? null : using || null, check: command === 'SELECT' || command === 'DELETE' ? null : check || null,
    };
    return policy ? { action: 'replace', oldName: policy.name, policy: spec } : { action: 'create', policy: spec };
  };
  const show = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const change = build();
      setPreview({ change, sql: (await post<{ sql: string[] }>('/api/security/preview', { change })).sql });
    } catch (err) {
      setError(err);
    }
  };
  const apply = async () => {
    try {
      await post('/api/security/apply', { change: preview!.change });
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  const toggleRole = (r: string) => setTo(to.includes(r) ? to.filter((x) => x !== r) : [...to, r]);
  return (
    <Modal title={policy ? `Edit policy ${policy.name}` : `New policy on ${schema}.${table}`} onClose={onClose}>
      {!preview ? (
        <form class="row-form" onSubmit={show}>
          <label class="field"><span>Name</span><input name="policy-name" value={name} onInput={(e) => setName(e.currentTarget.value)} /></label>
          <label class="field"><span>Command</span>
            <select name="policy-command" value={command} onChange={(e) => setCommand(e.currentTarget.value)}>
              {['ALL', 'SELECT', 'INSERT', 'UPDATE', 'DELETE'].map((c) => <option key={c}>{c}</option>)}
            </select>
          </label>
          <label class="field"><span>Kind</span>
            <select value={permissive ? 'p' : 'r'} onChange={(e) => setPermissive(e.currentTarget.value === 'p')}>
              <option value="p">PERMISSIVE (any permissive policy may allow)</option>
              <option value="r">RESTRICTIVE (must also pass)</option>
            </select>
          </label>
          <fieldset class="field"><legend>To roles (none: PUBLIC)</legend>
            {roles.map((r) => <label key={r} class="small inline"><input type="checkbox" name={`role-${r}`} checked={to.includes(r)} onChange={() => toggleRole(r)} /> {r}</label>)}
          </fieldset>
          {command !== 'INSERT' && <label class="field"><span>USING (rows visible / affected)</span><textarea name="policy-using" rows={2} value={using} onInput={(e) => setUsing(e.currentTarget.value)} /></label>}
          {command !== 'SELECT' && command !== 'DELETE' && <label class="field"><span>WITH CHECK (new rows allowed)</span><textarea name="policy-check" rows={2} value={check} onInput={(e) => setCheck(e.currentTarget.value)} /></label>}
          <div class="buttons"><button type="submit">Preview SQL</button></div>
        </form>
      ) : (
        <div class="preview">
          <p>This SQL will run in one transaction:</p>
          <HighlightedSql sql={preview.sql.join('\n')} />
          <div class="buttons"><button class="primary" onClick={() => void apply()}>Apply</button><button onClick={() => setPreview(null)}>Back</button></div>
        </div>
      )}
      <ErrorBox error={error ? errorOf(error) : null} />
    </Modal>
  );
}
