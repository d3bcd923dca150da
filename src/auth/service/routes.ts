// HTTP endpoints of the auth service: POST /auth/signup, /auth/login, /auth/refresh, /auth/logout,
// GET /auth/me and GET /.well-known/jwks.json. Returns null for any other path so the API
// pipeline handles it (a table named `auth` stays reachable at /auth).
import type { Config } from '../../config/config.js';
import { errors } from '../../errors/codes.js';
import type { RawRequest } from '../../request/parse-request.js';
import { parseCookies } from '../../request/headers.js';
import { jsonType, type ApiResponse } from '../../response/types.js';
import { bearerToken } from '../jwt/authenticator.js';
import { credentials, jsonBody, optionalString } from './body.js';
import { clientAddress } from './client-address.js';
import { clearRefreshCookie, refreshCookie, refreshCookieName, type CookieOptions } from './cookies.js';
import { authErrors } from './errors.js';
import type { AuthService, ClientInfo, Session } from './service.js';
import type { Signer } from './signing-keys.js';

type Raw = RawRequest;
const header = (raw: Raw, name: string): string | undefined => {
  const v = raw.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

const json = (status: number, body: unknown, headers: Record<string, string> = {}): ApiResponse =>
  ({ status, headers: { 'Content-Type': jsonType, 'Cache-Control': 'no-store', ...headers }, body: JSON.stringify(body) });

export interface AuthRoutesDeps {
  readonly config: Config;
  readonly service: AuthService;
  readonly signer: Signer;
}

export function authRoutes(deps: AuthRoutesDeps): (raw: Raw) => Promise<ApiResponse> | null {
  const { config, service } = deps;
  const cookies: CookieOptions = { secure: config.authCookieSecure, sameSite: config.authCookieSamesite };
  const client = (raw: Raw): ClientInfo => ({ ip: clientAddress(raw.headers, raw.remoteAddress, config.authTrustProxy), userAgent: header(raw, 'user-agent') ?? null });

  /** JSON mode: both tokens in the body. Cookie mode: the refresh token only in its cookie. */
  const sessionResponse = (status: number, s: Session): ApiResponse => {
    if (!config.authCookieMode) return json(status, s);
    const { refresh_token: refresh, ...rest } = s;
    return json(status, rest, { 'Set-Cookie': refreshCookie(refresh, config.authRefreshTokenLifetime, cookies) });
  };
  const refreshTokenOf = (raw: Raw, body: Record<string, unknown>): string | null =>
    optionalString(body, 'refresh_token') ?? (config.authCookieMode ? parseCookies(header(raw, 'cookie'))[refreshCookieName] ?? null : null);

  const handlers: Record<string, { method: string; run: (raw: Raw) => Promise<ApiResponse> }> = {
    '/auth/signup': {
      method: 'POST',
      run: async (raw) => {
        const body = jsonBody(raw.body, header(raw, 'content-type'));
        const token = bearerToken(header(raw, 'authorization'));
        const callerRole = token === null ? null : await service.callerRole(token);
        const r = await service.signup(credentials(body), optionalString(body, 'role'), callerRole, client(raw));
        return r.session ? sessionResponse(201, r.session) : json(201, { user: r.user });
      },
    },
    '/auth/login': {
      method: 'POST',
      run: async (raw) => sessionResponse(200, await service.login(credentials(jsonBody(raw.body, header(raw, 'content-type'))), client(raw))),
    },
    '/auth/refresh': {
      method: 'POST',
      run: async (raw) => {
        const token = refreshTokenOf(raw, jsonBody(raw.body, header(raw, 'content-type')));
        if (token === null || token === '') throw authErrors.invalidBody("'refresh_token' is required");
        return sessionResponse(200, await service.refresh(token, client(raw)));
      },
    },
    '/auth/logout': {
      method: 'POST',
      run: async (raw) => {
        const access = bearerToken(header(raw, 'authorization'));
        await service.logout(access, access === null ? refreshTokenOf(raw, jsonBody(raw.body, header(raw, 'content-type'))) : null);
        const headers: Record<string, string> = config.authCookieMode ? { 'Set-Cookie': clearRefreshCookie(cookies) } : {};
        return { status: 204, headers, body: null };
      },
    },
    '/auth/me': {
      method: 'GET',
      run: async (raw) => {
        const token = bearerToken(header(raw, 'authorization'));
        if (token === null) throw authErrors.notAuthenticated();
        return json(200, await service.me(token));
      },
    },
    '/.well-known/jwks.json': {
      method: 'GET',
      run: async (raw) => {
        const jwks = await deps.signer.jwks();
        if (jwks === null) throw errors.invalidPath(raw.url.split('?')[0] ?? '');
        return { status: 200, headers: { 'Content-Type': 'application/jwk-set+json', 'Cache-Control': 'public, max-age=300' }, body: JSON.stringify(jwks) };
      },
    },
  };

  return (raw) => {
    if (!raw.url.startsWith('/auth/') && !raw.url.startsWith('/.well-known/jwks.json')) return null; // every API request asks
    const path = raw.url.split('?')[0] ?? '';
    if (!path.startsWith('/auth/') && path !== '/.well-known/jwks.json') return null;
    const h = handlers[path];
    if (!h) return Promise.reject(errors.invalidPath(path));
    const method = raw.method.toUpperCase();
    if (method !== h.method && !(h.method === 'GET' && method === 'HEAD')) return Promise.reject(errors.unsupportedVerb(raw.method));
    return h.run(raw);
  };
}
