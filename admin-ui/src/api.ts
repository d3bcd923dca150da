// The client's one way to the admin API: JSON in and out, the session's CSRF token on every
// change, errors turned into ApiFailure with the server's message (and SQL position if any).
let csrf = '';
export const setCsrf = (token: string) => { csrf = token; };

export interface ErrorBody { code: string; message: string; detail?: string; hint?: string; position?: number }

export class ApiFailure extends Error {
  constructor(readonly status: number, readonly body: ErrorBody) {
    super(body.message);
  }
}

let onSignedOut: () => void = () => undefined;
export const whenSignedOut = (fn: () => void) => { onSignedOut = fn; };

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  const text = await r.text();
  const json = text ? (JSON.parse(text) as unknown) : null;
  if (!r.ok) {
    if (r.status === 401 && !path.startsWith('/api/login')) onSignedOut();
    const err = (json as { error?: ErrorBody } | null)?.error ?? { code: String(r.status), message: r.statusText };
    throw new ApiFailure(r.status, err);
  }
  return json as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body: unknown) => api<T>('POST', path, body);

export interface SessionInfo {
  signedIn: boolean;
  csrf?: string;
  version?: string;
  backend?: 'pglite' | 'postgres';
  canCancel?: boolean;
  serverVersion?: string;
  database?: string;
  user?: string;
  anonRole?: string | null;
  schemas?: string[];
  jwtSecretSet?: boolean;
  /** The signed-in account and its role (owner, editor, viewer). */
  account?: { email: string; role: Role };
  /** False when the admin store is unavailable: one password, no accounts. */
  accounts?: boolean;
  /** A JWT of the API's issuer can sign in (admin-jwt-claim is set). */
  jwtSignIn?: boolean;
}

export type Role = 'owner' | 'editor' | 'viewer';
const rank: Record<Role, number> = { viewer: 0, editor: 1, owner: 2 };
let role: Role = 'viewer';
/** Set by the shell from the session: what the UI shows (the server enforces it anyway). */
export const setRole = (r: Role | undefined) => { role = r ?? 'viewer'; };
export const hasRole = (need: Role) => rank[role] >= rank[need];

export const q = (params: Record<string, string | number>) => new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
