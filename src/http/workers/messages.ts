// The messages the primary and its API workers exchange over the cluster's IPC channel. Each has a
// `pesquel:` type so that prom-client's own metric messages on the same channel pass by untouched.

/** Worker → primary: started and listening (`apiUrl`), with the admin UI's address in slot 1. */
export interface WorkerStarted {
  readonly type: 'pesquel:started';
  readonly apiUrl: string;
  readonly adminUiUrl: string | null;
  /** The admin UI password slot 1 generated at this start (shown once in the banner), else null. */
  readonly adminPassword: string | null;
}

/** Worker → primary: the answer to a readiness question (`id` pairs it with the question). */
export interface WorkerReadiness {
  readonly type: 'pesquel:readiness';
  readonly id: number;
  readonly ready: boolean;
  /** With read replicas, the body of a one-process /ready (their health as this worker sees it). */
  readonly body?: unknown;
}

/** Primary → worker. */
export type ToWorker =
  | { readonly type: 'pesquel:ready?'; readonly id: number }
  | { readonly type: 'pesquel:reload' }
  | { readonly type: 'pesquel:reload-config' }
  | { readonly type: 'pesquel:stop' };

export type FromWorker = WorkerStarted | WorkerReadiness;

const isObject = (m: unknown): m is { type?: unknown } => typeof m === 'object' && m !== null;

export const isFromWorker = (m: unknown): m is FromWorker =>
  isObject(m) && (m.type === 'pesquel:started' || m.type === 'pesquel:readiness');

export const isToWorker = (m: unknown): m is ToWorker =>
  isObject(m) && (m.type === 'pesquel:ready?' || m.type === 'pesquel:reload' || m.type === 'pesquel:reload-config' || m.type === 'pesquel:stop');

/** Environment variable that gives a worker its slot (1…N); read and removed before the config loads. */
export const slotVariable = 'PESQUEL_WORKER_SLOT';
