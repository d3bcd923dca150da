// One table, view, materialized view or sequence: data, columns, constraints, indexes, triggers,
// policies, grants and DDL, each in its own tab.
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api';
import { ErrorBox, ObjectTable, Tabs, errorOf } from '../ui/widgets';
import { HighlightedSql } from '../sql/highlighted';
import { DataGrid } from './data-grid';

export interface RelationDetails {
  relation: Record<string, unknown> & { schema: string; name: string; relkind: string; primary_key: string[]; rls_enabled: boolean; rls_forced: boolean };
  columns: Record<string, unknown>[];
  constraints: Record<string, unknown>[];
  indexes: Record<string, unknown>[];
  triggers: Record<string, unknown>[];
  policies: Record<string, unknown>[];
  grants: Record<string, unknown>[];
  sequence: Record<string, unknown> | null;
  ddl: string;
}

const kinds: Record<string, string> = { r: 'table', p: 'partitioned table', v: 'view', m: 'materialized view', S: 'sequence', f: 'foreign table' };
type Tab = 'Data' | 'Columns' | 'Constraints' | 'Indexes' | 'Triggers' | 'Policies' | 'Grants' | 'Sequence' | 'DDL';

function tabsFor(relkind: string): Tab[] {
  if (relkind === 'S') return ['Sequence', 'Grants', 'DDL'];
  if (relkind === 'v') return ['Data', 'Columns', 'Triggers', 'Grants', 'DDL'];
  if (relkind === 'm') return ['Data', 'Columns', 'Indexes', 'Grants', 'DDL'];
  return ['Data', 'Columns', 'Constraints', 'Indexes', 'Triggers', 'Policies', 'Grants', 'DDL'];
}

export function RelationView({ oid }: { oid: string }) {
  const [d, setD] = useState<RelationDetails | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tab, setTab] = useState<Tab>('Data');
  useEffect(() => { get<RelationDetails>(`/api/catalog/relation?oid=${oid}`).then(setD, setError); }, [oid]);
  if (error) return <ErrorBox error={errorOf(error)} />;
  if (!d) return <p class="muted">Loading…</p>;
  const r = d.relation;
  const tabs = tabsFor(r.relkind);
  const current = tabs.includes(tab) ? tab : tabs[0]!;
  return (
    <section class="relation">
      <h2>{r.schema}.{r.name} <span class="badge">{kinds[r.relkind] ?? r.relkind}</span>
        {(r.relkind === 'r' || r.relkind === 'p') && <span class={`badge ${r.rls_enabled ? 'ok' : 'warn'}`}>RLS {r.rls_enabled ? 'on' : 'off'}{r.rls_forced ? ' (forced)' : ''}</span>}
      </h2>
      <p class="muted">{String(r.comment ?? '')} · owner {String(r.owner)} · ~{String(r.estimated_rows)} rows · {String(r.total_size)}</p>
      <Tabs tabs={tabs} active={current} onSelect={setTab} />
      <div class="tab-body">
        {current === 'Data' && <DataGrid schema={r.schema} table={r.name} editable={r.relkind === 'r' || r.relkind === 'p'} />}
        {current === 'Columns' && <ObjectTable rows={d.columns} columns={['position', 'name', 'type', 'not_null', 'default', 'identity', 'generated', 'comment']} />}
        {current === 'Constraints' && <ObjectTable rows={d.constraints} columns={['name', 'type', 'definition']} />}
        {current === 'Indexes' && <ObjectTable rows={d.indexes} columns={['name', 'definition', 'size']} />}
        {current === 'Triggers' && <ObjectTable rows={d.triggers} columns={['name', 'enabled', 'definition']} />}
        {current === 'Policies' && (
          <>
            <ObjectTable rows={d.policies} columns={['name', 'command', 'permissive', 'roles', 'using', 'check']} />
            <p class="small"><a href="#/security">Create, edit or drop policies under Roles &amp; security.</a></p>
          </>
        )}
        {current === 'Grants' && <ObjectTable rows={d.grants} columns={['grantee', 'privileges', 'grantor']} />}
        {current === 'Sequence' && d.sequence && <ObjectTable rows={[d.sequence]} columns={Object.keys(d.sequence)} />}
        {current === 'DDL' && <HighlightedSql sql={d.ddl} />}
      </div>
    </section>
  );
}
