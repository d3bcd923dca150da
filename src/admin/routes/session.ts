// Sign-in (account and password, or a JWT of the API's issuer), sign-out and the session probe the
// client calls at load. The cookie is HttpOnly and SameSite=Strict, Secure when the browser
// reached us over https (directly or via a proxy).
import { AdminError } from '../errors.js';
import type { AdminDeps } from '../deps.js';
import type { Ctx, Reply, Route } from '../http-kit.js';
import { cookieValue, publicOrigin, sessionCookie } from '../auth/proxy.js';
import { authenticate } from '../auth/sign-in.js';
import { refreshUser } from '../auth/guard.js';
import type { Session, SessionUser } from '../auth/sessions.js';
import { version } from '../../version.js';

export const cookieName = 'pesquel_admin_session';

async function info(d: AdminDeps, s: Session) {
  const [row] = await d.adb.use((c) => c.rows<{ server_version: string; database: string; user: string }>(
    "SELECT current_setting('server_version') AS server_version, current_database() AS database, current_user AS user"));
  return {
    signedIn: true, csrf: s.csrf, account: { email: s.user.email, role: s.user.role }, accounts: d.accounts !== null,
    version, backend: d.adb.kind, canCancel: d.adb.canCancel, serverVersion: row?.server_version, database: row?.database,
    user: row?.user, anonRole: d.config.dbAnonRole, schemas: d.config.dbSchemas, jwtSecretSet: d.config.jwtSecret !== null,
  };
}

const clientAddr = (ctx: Ctx) => ctx.req.socket.remoteAddress ?? 'unknown';

/** A new session for `user` (a new id at each sign-in) and its cookie. */
export async function startSession(d: AdminDeps, ctx: Ctx, user: SessionUser): Promise<Reply> {
  d.sessions.delete(cookieValue(ctx.req, cookieName));
  const { token, session } = d.sessions.create(user);
  const secure = publicOrigin(ctx.req).proto === 'https';
  return { json: await info(d, session), headers: { 'Set-Cookie': sessionCookie(cookieName, token, secure, 12 * 3600) } };
}

/** Counts an attempt before the (slow) check: a hundred parallel guesses get ten checks, not a hundred. */
export async function gated<T>(d: AdminDeps, ctx: Ctx, attempt: () => Promise<T | null>): Promise<T> {
  const addr = clientAddr(ctx);
  if (!(await d.limiter.reserve(addr))) throw new AdminError(429, 'too-many-attempts', 'too many failed sign-ins: wait a minute');
  const ok = await attempt();
  if (ok === null) throw new AdminError(401, 'bad-password', 'wrong password (or no such account)');
  await d.limiter.succeed(addr);
  return ok;
}

export function sessionRoutes(d: AdminDeps): Route[] {
  return [
    {
      method: 'GET', path: '/api/session', public: true,
      handler: async (ctx) => ctx.session && (await refreshUser(d, ctx.session, true))
        ? { json: await info(d, ctx.session) }
        : { json: { signedIn: false, accounts: d.accounts !== null, jwtSignIn: d.tokenAccount !== null && d.accounts !== null } },
    },
    {
      method: 'POST', path: '/api/login', public: true,
      handler: async (ctx) => {
        const { email, password } = await ctx.json<{ email?: unknown; password?: unknown }>();
        return startSession(d, ctx, await gated(d, ctx, () => authenticate(d, email, password)));
      },
    },
    {
      method: 'POST', path: '/api/login/jwt', public: true,
      handler: async (ctx) => {
        const { token } = await ctx.json<{ token?: unknown }>();
        const user = await gated(d, ctx, async () => {
          if (!d.tokenAccount || !d.accounts) throw new AdminError(404, 'no-token-sign-in', 'sign-in with a token is off (set admin-jwt-claim)');
          if (typeof token !== 'string' || token.length > 16_384) return null;
          const account = await d.accounts.find(await d.tokenAccount(token));
          return account ? { id: account.id, email: account.email, role: account.role } : null;
        });
        return startSession(d, ctx, user);
      },
    },
    {
      method: 'POST', path: '/api/logout', role: 'viewer',
      handler: async (ctx) => {
        d.sessions.delete(cookieValue(ctx.req, cookieName));
        const secure = publicOrigin(ctx.req).proto === 'https';
        return { json: { signedIn: false }, headers: { 'Set-Cookie': sessionCookie(cookieName, '', secure, 0) } };
      },
    },
  ];
}
