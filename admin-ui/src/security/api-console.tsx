// Sends a request to the REST API as the anonymous role, another role (a short-lived token
// signed with jwt-secret) or a pasted JWT, to see what the policies let each of them do.
import { useState } from 'preact/hooks';
import { post, type SessionInfo } from '../api';
import { ErrorBox, errorOf } from '../ui/widgets';
import { RunAsPicker, noRunAs, runAsBody, type RunAsValue } from '../sql/run-as';

interface ApiReply { status: number; ms: number; headers: Record<string, string>; body: string }

export function ApiConsole({ session }: { session: SessionInfo }) {
  const [method, setMethod] = useState('GET');
  const [path, setPath] = useState('/todos?limit=5');
  const [body, setBody] = useState('');
  const [runAs, setRunAs] = useState<RunAsValue>(noRunAs);
  const [reply, setReply] = useState<ApiReply | null>(null);
  const [error, setError] = useState<unknown>(null);
  const send = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      setReply(await post<ApiReply>('/api/security/api-request', { method, path, body: body || undefined, runAs: runAsBody(runAs) }));
    } catch (err) {
      setError(err);
    }
  };
  let pretty = reply?.body ?? '';
  try { pretty = JSON.stringify(JSON.parse(pretty), null, 2); } catch { /* not JSON: show as is */ }
  return (
    <section class="api-console">
      <h3>API request as…</h3>
      <form class="toolbar" onSubmit={send}>
        <select aria-label="method" value={method} onChange={(e) => setMethod(e.currentTarget.value)}>
          {['GET', 'POST', 'PATCH', 'PUT', 'DELETE'].map((m) => <option key={m}>{m}</option>)}
        </select>
        <input class="path" aria-label="path" value={path} onInput={(e) => setPath(e.currentTarget.value)} />
        <RunAsPicker value={runAs} onChange={setRunAs} adminLabel={`anonymous (${session.anonRole ?? 'no role'})`} />
        <button type="submit" class="primary needs-editor">Send</button>
      </form>
      {method !== 'GET' && <textarea class="body" aria-label="request body" rows={3} placeholder='{"title": "…"}' value={body} onInput={(e) => setBody(e.currentTarget.value)} />}
      <ErrorBox error={error ? errorOf(error) : null} />
      {reply && (
        <div class="api-reply">
          <p><span class={`badge ${reply.status < 300 ? 'ok' : 'warn'}`}>{reply.status}</span> <span class="muted">{reply.ms.toFixed(1)} ms · {reply.headers['content-range'] ? `Content-Range ${reply.headers['content-range']}` : ''}</span></p>
          <pre class="sql-view">{pretty}</pre>
        </div>
      )}
    </section>
  );
}
