// The primary's /ready over IPC: asks each worker whether its database answers and its schema cache
// is loaded, and pairs the answers with the questions; a worker that does not answer in time is not ready.
import type { Worker } from 'node:cluster';
import type { ToWorker, WorkerReadiness } from './messages.js';
import { readyTimeoutMs } from './worker.js';

export interface Readiness {
  /** Asks `w`; null when it does not answer within the worker's own database timeout plus a second. */
  ask(w: Worker): Promise<WorkerReadiness | null>;
  /** Hands a worker's answer to the question it answers. */
  answered(m: WorkerReadiness): void;
}

export function readinessQuestions(tell: (w: Worker, m: ToWorker) => void): Readiness {
  const questions = new Map<number, (answer: WorkerReadiness) => void>();
  let next = 0;
  return {
    ask: (w) => new Promise((resolve) => {
      const id = next++;
      const timer = setTimeout(() => { questions.delete(id); resolve(null); }, readyTimeoutMs + 1000);
      questions.set(id, (answer) => { clearTimeout(timer); questions.delete(id); resolve(answer); });
      tell(w, { type: 'pesquel:ready?', id });
    }),
    answered: (m) => questions.get(m.id)?.(m),
  };
}
