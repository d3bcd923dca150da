// The SQL editor screen: tabs kept on the server (a reload or another browser finds them), run
// or EXPLAIN ANALYZE (the selection, else the tab), cancel, run as a role or JWT, and history.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, get, post, type SessionInfo } from '../api';
import { ErrorBox, errorOf } from '../ui/widgets';
import { SqlEditor } from './editor';
import { Results, lineCol, type RunResult } from './results';
import { PlanView, type Explained } from './plan-view';
import { RunAsPicker, noRunAs, runAsBody, type RunAsValue } from './run-as';
import type { NameInfo } from './completion';
import type { ErrorBody } from '../api';

interface Tab { id: string; title: string; sql: string; position: number }
interface HistoryEntry { id: string; sql: string; ranAt: string; ms: number | null; ok: boolean; summary: string | null }
type Output = { kind: 'run'; run: RunResult; base: number } | { kind: 'plan'; plan: Explained } | { kind: 'error'; error: ErrorBody; base: number };

const newId = () => `tab-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
const runId = () => crypto.randomUUID?.() ?? newId();

export function SqlPage({ session }: { session: SessionInfo }) {
  const [tabs, setTabs] = useState<Tab[] | null>(null);
  const [active, setActive] = useState('');
  const [names, setNames] = useState<NameInfo[]>([]);
  const [outputs, setOutputs] = useState<Record<string, Output>>({});
  const [running, setRunning] = useState<string | null>(null);
  const [runAs, setRunAs] = useState<RunAsValue>(noRunAs);
  const [history, setHistory] = useState<HistoryEntry[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const saveTimers = useRef<Record<string, number>>({});

  const save = (t: Tab) => api('PUT', '/api/sql/tabs', t).catch(setError);
  useEffect(() => {
    get<NameInfo[]>('/api/catalog/completion').then(setNames, () => undefined);
    get<Tab[]>('/api/sql/tabs').then(async (list) => {
      if (list.length === 0) {
        const first = { id: newId(), title: 'Query 1', sql: 'select * from api.todos limit 10;', position: 0 };
        await save(first);
        list = [first];
      }
      setTabs(list);
      setActive(sessionStorage.getItem('pesquel.tab') ?? list[0]!.id);
    }, setError);
  }, []);

  if (!tabs) return <div class="content"><ErrorBox error={error ? errorOf(error) : null} /><p class="muted">Loading…</p></div>;
  const tab = tabs.find((t) => t.id === active) ?? tabs[0]!;
  const select = (id: string) => { setActive(id); sessionStorage.setItem('pesquel.tab', id); };
  const update = (patch: Partial<Tab>) => {
    const next = { ...tab, ...patch };
    setTabs(tabs.map((t) => (t.id === tab.id ? next : t)));
    clearTimeout(saveTimers.current[tab.id]);
    saveTimers.current[tab.id] = window.setTimeout(() => void save(next), 400);
  };
  const addTab = async () => {
    const t = { id: newId(), title: `Query ${tabs.length + 1}`, sql: '', position: Math.max(0, ...tabs.map((x) => x.position)) + 1 };
    await save(t);
    setTabs([...tabs, t]);
    select(t.id);
  };
  const closeTab = async (id: string) => {
    if (tabs.length === 1) return;
    await api('DELETE', `/api/sql/tabs?id=${encodeURIComponent(id)}`);
    const rest = tabs.filter((t) => t.id !== id);
    setTabs(rest);
    if (id === tab.id) select(rest[0]!.id);
  };
  const rename = (t: Tab) => {
    const title = prompt('Tab name', t.title);
    if (title) { const next = { ...t, title }; setTabs(tabs.map((x) => (x.id === t.id ? next : x))); void save(next); }
  };
  /** The editor's selection if any (with its offset), else the whole tab. */
  const target = () => {
    const el = document.querySelector<HTMLTextAreaElement>('.editor-input');
    if (el && el.selectionEnd > el.selectionStart) return { text: tab.sql.slice(el.selectionStart, el.selectionEnd), base: el.selectionStart };
    return { text: tab.sql, base: 0 };
  };
  const execute = async (kind: 'run' | 'explain') => {
    const { text, base } = target();
    const id = runId();
    setRunning(id);
    try {
      if (kind === 'run') {
        const run = await post<RunResult>('/api/sql/run', { runId: id, sql: text, runAs: runAsBody(runAs) });
        setOutputs({ ...outputs, [tab.id]: { kind: 'run', run, base } });
        if (history) setHistory(await get<HistoryEntry[]>('/api/sql/history?limit=100'));
      } else {
        const r = await post<{ plan?: Explained[]; error?: ErrorBody }>('/api/sql/explain', { runId: id, sql: text, runAs: runAsBody(runAs) });
        setOutputs({ ...outputs, [tab.id]: r.error ? { kind: 'error', error: r.error, base } : { kind: 'plan', plan: r.plan![0]! } });
        if (history) setHistory(await get<HistoryEntry[]>('/api/sql/history?limit=100'));
      }
    } catch (err) {
      setOutputs({ ...outputs, [tab.id]: { kind: 'error', error: errorOf(err), base } });
    } finally {
      setRunning(null);
    }
  };
  const cancel = async () => {
    if (!running) return;
    const r = await post<{ cancelled: boolean; reason?: string }>('/api/sql/cancel', { runId: running });
    if (!r.cancelled && r.reason) setError(r.reason);
  };
  const toggleHistory = async () => setHistory(history ? null : await get<HistoryEntry[]>('/api/sql/history?limit=100'));

  const out = outputs[tab.id];
  const errPos = out?.kind === 'run' && out.run.error?.position ? out.base + out.run.error.position - 1
    : out?.kind === 'error' && out.error.position ? out.base + out.error.position - 1 : null;
  return (
    <div class="sql-page">
      <div class="tabs sql-tabs" role="tablist">
        {tabs.map((t) => (
          <span key={t.id} class={`sql-tab ${t.id === tab.id ? 'active' : ''}`}>
            <button role="tab" aria-selected={t.id === tab.id} onClick={() => select(t.id)} onDblClick={() => rename(t)} title="double-click to rename">{t.title}</button>
            {tabs.length > 1 && <button class="link close" aria-label={`close ${t.title}`} onClick={() => void closeTab(t.id)}>×</button>}
          </span>
        ))}
        <button class="link" aria-label="new tab" onClick={() => void addTab()}>+</button>
      </div>
      <div class="toolbar">
        <button class="primary" disabled={running !== null} onClick={() => void execute('run')} title="Ctrl+Enter">▶ Run</button>
        <button disabled={running !== null} onClick={() => void execute('explain')}>Explain analyze</button>
        <button class="danger" disabled={running === null || !session.canCancel} onClick={() => void cancel()}
          title={session.canCancel ? 'pg_cancel_backend' : 'the embedded database cannot interrupt a statement'}>■ Cancel</button>
        {running && <span class="muted">running…</span>}
        <RunAsPicker value={runAs} onChange={setRunAs} />
        <span class="spacer" />
        <button onClick={() => void toggleHistory()}>{history ? 'Hide history' : 'History'}</button>
      </div>
      <ErrorBox error={error ? errorOf(error) : null} />
      <div class="sql-body">
        <div class="sql-main">
          <SqlEditor value={tab.sql} onChange={(sql) => update({ sql })} onRun={() => void execute('run')} names={names} errorAt={errPos} />
          {out?.kind === 'run' && <Results run={out.run} text={tab.sql.slice(out.base)} />}
          {out?.kind === 'plan' && <PlanView plan={out.plan} />}
          {out?.kind === 'error' && (
            <div class="results">
              <ErrorBox error={out.error} />
              {out.error.position !== undefined && <p class="small">at line {lineCol(tab.sql, out.base + out.error.position).line}, column {lineCol(tab.sql, out.base + out.error.position).col}</p>}
            </div>
          )}
        </div>
        {history && (
          <aside class="history">
            <h3>History</h3>
            <ul>
              {history.map((h) => (
                <li key={h.id} class={h.ok ? '' : 'failed'}>
                  <button class="link" title="put into the editor" onClick={() => update({ sql: h.sql })}><code>{h.sql.slice(0, 200)}</code></button>
                  <div class="small muted">{h.ranAt.replace('T', ' ').replace('Z', '')} · {h.ms?.toFixed(1)} ms · {h.summary}</div>
                </li>
              ))}
            </ul>
          </aside>
        )}
      </div>
    </div>
  );
}
