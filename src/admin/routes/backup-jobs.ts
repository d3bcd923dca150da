// Long backup work started from the admin UI (a backup, a restore check, a restore) runs as a job
// the client polls: its phase, the bytes written so far and, at the end, its result or error.
// One job at a time: two dumps or a restore under a dump would only slow each other down.
import { randomBytes } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AdminError } from '../errors.js';

export type JobKind = 'backup' | 'check' | 'restore';

export interface Job {
  readonly id: string;
  readonly kind: JobKind;
  readonly file: string | null;
  readonly startedAt: string;
  state: 'running' | 'done' | 'failed';
  finishedAt: string | null;
  result: unknown;
  error: string | null;
}

/** Bytes of the backup being written (its `.…partial` file in `dir`), for the progress bar. */
export function partialBytes(dir: string): number {
  try {
    return readdirSync(dir).filter((n) => n.startsWith('.') && n.endsWith('.partial'))
      .reduce((sum, n) => sum + statSync(join(dir, n)).size, 0);
  } catch {
    return 0;
  }
}

export class BackupJobs {
  private readonly jobs = new Map<string, Job>();
  private running: Job | null = null;

  /** Starts `work` unless a job runs; `onEnd` sees the finished job (for the audit log). */
  start(kind: JobKind, file: string | null, work: () => Promise<unknown>, onEnd: (job: Job) => Promise<void>): Job {
    if (this.running) throw new AdminError(409, 'job-running', `a ${this.running.kind} is running: wait for it to end`);
    const job: Job = { id: randomBytes(9).toString('base64url'), kind, file, startedAt: new Date().toISOString(), state: 'running', finishedAt: null, result: null, error: null };
    this.running = job;
    this.jobs.set(job.id, job);
    for (const [id, j] of this.jobs) if (this.jobs.size > 20 && j.state !== 'running') this.jobs.delete(id);
    void work().then(
      (result) => { job.state = 'done'; job.result = result; },
      (err: unknown) => { job.state = 'failed'; job.error = (err as Error).message.split('\n')[0] ?? 'failed'; },
    ).then(async () => {
      job.finishedAt = new Date().toISOString();
      this.running = null;
      await onEnd(job).catch(() => undefined);
    });
    return job;
  }

  get(id: string): Job {
    const j = this.jobs.get(id);
    if (!j) throw new AdminError(404, 'no-job', 'no such job (the server may have restarted)');
    return j;
  }

  get current(): Job | null { return this.running; }
}
