// Starts PeSquel (test harness) plus the admin UI on a free port, with a signed-in client that
// keeps the session cookie and sends the CSRF token. On PostgreSQL the admin connects as a
// superuser login role made for the test (as admin-db-uri would name one in production).
import { backendKinds, startTestApi, type BackendKind, type TestApi } from '../helpers/backends.js';
import { startAdminUi, type AdminUi } from '../../src/admin/server.js';
import { createLogger } from '../../src/observability/logger.js';
import type { Config } from '../../src/config/config.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';

export const adminPassword = 'admin-test-password-123';

export interface AdminClient {
  readonly url: string;
  csrf: string;
  cookie: string;
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** JSON call that throws on a non-2xx status. */
  call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
}

export interface AdminFixture {
  readonly api: TestApi;
  readonly ui: AdminUi;
  readonly client: AdminClient;
  /** The configuration the admin UI runs with (admin-db-uri set on PostgreSQL). */
  readonly adminConfig: Config;
  close(): Promise<void>;
}

export async function superuserUri(api: TestApi): Promise<string> {
  await api.sql("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pesquel_admin_test') THEN CREATE ROLE pesquel_admin_test LOGIN SUPERUSER PASSWORD 'admin-test-pw'; END IF; END $$");
  const u = new URL(api.config.dbUri as string);
  u.username = 'pesquel_admin_test';
  u.password = 'admin-test-pw';
  return u.toString();
}

export function adminClient(url: string): AdminClient {
  const c: AdminClient = {
    url, csrf: '', cookie: '',
    fetch: (path, init = {}) => {
      const headers = new Headers(init.headers);
      if (c.cookie) headers.set('Cookie', c.cookie);
      if (c.csrf && !headers.has('X-CSRF-Token')) headers.set('X-CSRF-Token', c.csrf);
      return fetch(url + path, { ...init, headers });
    },
    call: async <T>(method: string, path: string, body?: unknown) => {
      const r = await c.fetch(path, {
        method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
      });
      const text = await r.text();
      if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
      return JSON.parse(text) as T;
    },
  };
  return c;
}

export async function signIn(c: AdminClient, password = adminPassword): Promise<Response> {
  const r = await fetch(c.url + '/api/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ password }) });
  if (r.ok) {
    c.cookie = (r.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    c.csrf = ((await r.clone().json()) as { csrf: string }).csrf;
  }
  return r;
}

/** A client signed in as an account (email and password); throws when the sign-in fails. */
export async function signInAs(url: string, email: string, password: string): Promise<AdminClient> {
  const c = adminClient(url);
  const r = await fetch(url + '/api/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (!r.ok) throw new Error(`sign-in as ${email} failed: ${r.status} ${await r.text()}`);
  c.cookie = (r.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  c.csrf = ((await r.json()) as { csrf: string }).csrf;
  return c;
}

/** Adds an account through the owner's client (unless it exists) and returns a client signed in as it. */
export async function accountClient(f: AdminFixture, email: string, role: 'owner' | 'editor' | 'viewer', password = `pw-${role}-12345`): Promise<AdminClient> {
  const r = await f.client.fetch('/api/users', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, role, password }) });
  if (!r.ok && r.status !== 409) throw new Error(`adding ${email}: ${r.status} ${await r.text()}`);
  return signInAs(f.ui.url, email, password);
}

export async function startAdmin(kind: BackendKind, fixtures: string[] = [], options: Readonly<Record<string, string>> = {}): Promise<AdminFixture> {
  const api = await startTestApi(kind, { fixtures, options: { 'admin-password': adminPassword, ...options } });
  const config = kind === 'pglite' ? api.config : { ...api.config, adminDbUri: await superuserUri(api) };
  const ui = await startAdminUi({
    config, db: api.running.db, apiUrl: api.url, logger: createLogger('error'), reloadSchema: () => api.reload(), port: 0, host: '127.0.0.1',
  });
  const client = adminClient(ui.url);
  const r = await signIn(client);
  if (!r.ok) throw new Error(`sign-in failed: ${r.status}`);
  return { api, ui, client, adminConfig: config, close: async () => { await ui.close(); await api.close(); } };
}

/** The backends the admin tests run on: pgBouncer adds nothing, the admin connects directly. */
export const adminKinds = () => backendKinds().filter((k) => k !== 'pgbouncer');

/** Waits until the activity screen shows `query` running (polls; fails after `timeoutMs`). */
export async function activeQuery(f: AdminFixture, query: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const a = await f.client.call<{ sessions: Array<{ query?: unknown; state?: unknown }> }>('GET', '/api/activity');
    if (a.sessions.some((s) => s.state === 'active' && String(s.query).includes(query))) return;
    if (Date.now() > deadline) throw new Error(`"${query}" did not start within ${timeoutMs} ms`);
    await new Promise((r) => setImmediate(r));
  }
}

/**
 * Headless Chromium (Debian's, driven by playwright-core) with a fresh profile and one page;
 * close() ends it and removes the profile. playwright-core loads only here, for browser tests.
 */
export async function openChromium(executablePath: string): Promise<{ browser: BrowserContext; page: Page; close(): Promise<void> }> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'pesquel-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath, headless: true, viewport: { width: 1360, height: 860 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const page = browser.pages()[0] ?? await browser.newPage();
  return {
    browser, page,
    close: async () => {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
