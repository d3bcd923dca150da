// Sign-in, sign-out and the session probe the client calls at load. The cookie is HttpOnly and
// SameSite=Strict, Secure when the browser reached us over https (directly or via a proxy).
import { AdminError } from '../errors.js';
import type { AdminDeps } from '../deps.js';
import type { Ctx, Route } from '../http-kit.js';
import { cookieValue, publicOrigin, sessionCookie } from '../auth/proxy.js';
import { version } from '../../version.js';

export const cookieName = 'pesquel_admin_session';

async function info(d: AdminDeps) {
  const [row] = await d.adb.use((c) => c.rows<{ server_version: string; database: string; user: string }>(
    "SELECT current_setting('server_version') AS server_version, current_database() AS database, current_user AS user"));
  return {
    version, backend: d.adb.kind, canCancel: d.adb.canCancel, serverVersion: row?.server_version, database: row?.database,
    user: row?.user, anonRole: d.config.dbAnonRole, schemas: d.config.dbSchemas, jwtSecretSet: d.config.jwtSecret !== null,
  };
}

const clientAddr = (ctx: Ctx) => ctx.req.socket.remoteAddress ?? 'unknown';

export function sessionRoutes(d: AdminDeps): Route[] {
  return [
    {
      method: 'GET', path: '/api/session', public: true,
      handler: async (ctx) => ctx.session ? { json: { signedIn: true, csrf: ctx.session.csrf, ...(await info(d)) } } : { json: { signedIn: false } },
    },
    {
      method: 'POST', path: '/api/login', public: true,
      handler: async (ctx) => {
        const addr = clientAddr(ctx);
        const { password } = await ctx.json<{ password?: unknown }>();
        // Counted before the (slow) hash: a hundred parallel guesses get ten checks, not a hundred.
        if (!(await d.limiter.reserve(addr))) throw new AdminError(429, 'too-many-attempts', 'too many failed sign-ins: wait a minute');
        if (typeof password !== 'string' || !(await d.password.verify(password))) throw new AdminError(401, 'bad-password', 'wrong password');
        await d.limiter.succeed(addr);
        d.sessions.delete(cookieValue(ctx.req, cookieName)); // a new session id at each sign-in
        const { token, session } = d.sessions.create();
        const secure = publicOrigin(ctx.req).proto === 'https';
        return {
          json: { signedIn: true, csrf: session.csrf, ...(await info(d)) },
          headers: { 'Set-Cookie': sessionCookie(cookieName, token, secure, 12 * 3600) },
        };
      },
    },
    {
      method: 'POST', path: '/api/logout',
      handler: async (ctx) => {
        d.sessions.delete(cookieValue(ctx.req, cookieName));
        const secure = publicOrigin(ctx.req).proto === 'https';
        return { json: { signedIn: false }, headers: { 'Set-Cookie': sessionCookie(cookieName, '', secure, 0) } };
      },
    },
  ];
}
