// Backups: the list of `pesquel backup --list`, a backup started here with its progress, download,
// the restore check into a scratch database with every table's row count, and (owners) the restore
// itself behind the backup's typed file name.
import { useEffect, useState } from 'preact/hooks';
import { get, hasRole, post, q } from '../api';
import { ErrorBox, Modal, errorOf } from '../ui/widgets';

interface Backup { file: string; createdAt: string; bytes: number; source: string; kind: string; serverVersion: string; tables: number; rows: number }
interface Job { id: string; kind: 'backup' | 'check' | 'restore'; file: string | null; state: 'running' | 'done' | 'failed'; result: unknown; error: string | null; bytes: number | null; startedAt: string }
interface CountResult { ok: boolean; tables: number; rows: number; differences: string[]; expected: Record<string, number> }

export const kib = (n: number) => (n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`);

/** Polls a job every half second until it ends. */
function useJob(onEnd: () => void): [Job | null, (j: Job) => void] {
  const [job, setJob] = useState<Job | null>(null);
  useEffect(() => {
    if (!job || job.state !== 'running') return;
    const t = setTimeout(() => {
      get<Job>(`/api/backups/job?${q({ id: job.id })}`).then((j) => { setJob(j); if (j.state !== 'running') onEnd(); }, () => undefined);
    }, 500);
    return () => clearTimeout(t);
  }, [job]);
  return [job, setJob];
}

function Counts({ r }: { r: CountResult }) {
  return (
    <div class="counts">
      <p class={r.ok ? 'ok' : 't-error'}>{r.ok ? `Row counts match: ${r.tables} tables, ${r.rows} rows.` : `Row counts differ in ${r.differences.length} tables.`}</p>
      {r.differences.map((d) => <div key={d} class="t-error small">{d}</div>)}
      <table class="grid small">
        <thead><tr><th>table</th><th>rows in the backup</th><th>restored</th></tr></thead>
        <tbody>
          {Object.entries(r.expected).map(([t, n]) => {
            const diff = r.differences.find((d) => d.startsWith(`${t}:`));
            return <tr key={t}><td>{t}</td><td class="num">{n}</td><td class="num">{diff ? diff.slice(t.length + 2) : `${n} ✓`}</td></tr>;
          })}
        </tbody>
      </table>
    </div>
  );
}

export function BackupsPage() {
  const [list, setList] = useState<{ dir: string; backups: Backup[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [restoring, setRestoring] = useState<Backup | null>(null);
  const [typed, setTyped] = useState('');
  const load = () => get<{ dir: string; backups: Backup[]; job: Job | null }>('/api/backups').then((l) => { setList(l); if (l.job) setJob(l.job); }, setError);
  const [job, setJob] = useJob(() => void load());
  useEffect(() => { void load(); }, []);
  const start = async (path: string, body: unknown) => {
    setError(null);
    try {
      setJob(await post<Job>(path, body));
    } catch (err) {
      setError(err);
    }
  };
  const running = job?.state === 'running';
  const editor = hasRole('editor');
  return (
    <div class="content backups-page">
      <h2>Backups</h2>
      <p class="muted small">In {list?.dir}: the same list as <code>pesquel backup --list</code>.</p>
      <ErrorBox error={error ? errorOf(error) : null} />
      {editor && <button class="primary" disabled={running} onClick={() => void start('/api/backups', {})}>Back up now</button>}
      {job && (
        <div class={`job job-${job.state}`} role="status">
          {job.state === 'running' && <span><span class="spinner" /> {job.kind === 'backup' ? `Writing the backup… ${job.bytes ? kib(job.bytes) : ''}` : job.kind === 'check' ? `Restoring ${job.file} into a scratch database…` : `Restoring ${job.file}…`}</span>}
          {job.state === 'failed' && <span class="t-error">{job.kind} failed: {job.error}</span>}
          {job.state === 'done' && job.kind === 'backup' && <span>Backup written: {(job.result as Backup).file}</span>}
          {job.state === 'done' && job.kind !== 'backup' && (
            <div>
              <b>{job.kind === 'check' ? `Restore check of ${job.file}` : `Restored ${job.file}`}</b>
              <Counts r={job.result as CountResult} />
            </div>
          )}
        </div>
      )}
      <div class="table-wrap">
        <table class="grid">
          <thead><tr><th>file</th><th>written (UTC)</th><th>size</th><th>source</th><th>tables</th><th>rows</th><th /></tr></thead>
          <tbody>
            {list?.backups.map((b) => (
              <tr key={b.file} data-file={b.file}>
                <td>{b.file}</td>
                <td class="small nowrap">{b.createdAt.replace('T', ' ').replace(/\.\d+Z$/, '')}</td>
                <td class="num">{kib(b.bytes)}</td>
                <td class="small">{b.source} {b.serverVersion}</td>
                <td class="num">{b.tables}</td>
                <td class="num">{b.rows}</td>
                <td class="actions">
                  {editor && <a class="link" href={`/api/backups/download?${q({ file: b.file })}`} download>Download</a>}{' '}
                  {editor && <button class="link" disabled={running} onClick={() => void start('/api/backups/check', { file: b.file })}>Check restore</button>}{' '}
                  {hasRole('owner') && <button class="link danger" disabled={running} onClick={() => { setTyped(''); setRestoring(b); }}>Restore…</button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {list && list.backups.length === 0 && <p class="muted">No backups yet.</p>}
      </div>
      {restoring && (
        <Modal title={`Restore ${restoring.file}`} onClose={() => setRestoring(null)}>
          <p><b>This replaces all data in the database</b> with the backup of {restoring.createdAt} ({restoring.tables} tables, {restoring.rows} rows). Type the file name to confirm.</p>
          <input aria-label="Backup file name" class="wide" value={typed} onInput={(e) => setTyped(e.currentTarget.value)} />
          <div class="buttons">
            <button class="danger" disabled={typed !== restoring.file} onClick={() => { const file = restoring.file; setRestoring(null); void start('/api/backups/restore', { file, confirm: typed }); }}>Restore</button>
            <button onClick={() => setRestoring(null)}>Cancel</button>
          </div>
        </Modal>
      )}
    </div>
  );
}
