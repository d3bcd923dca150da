// The built-in auth service's endpoints (/auth/*, /.well-known/jwks.json) in the OpenAPI document,
// when auth-enabled: request bodies, the session answer and the errors, as src/auth/service/routes.ts serves them.
import { ref, type PathItem } from './types.js';

export interface AuthDocOptions {
  /** auth-cookie-mode: the refresh token travels in an httpOnly cookie instead of the JSON body. */
  readonly cookieMode: boolean;
  readonly signup: 'open' | 'disabled' | 'admin-only';
}

const tags = ['Auth'];
const json = (schema: unknown) => ({ 'application/json': { schema } });

const credentials = {
  type: 'object', required: ['email', 'password'],
  properties: {
    email: { type: 'string', format: 'email', example: 'ada@example.com' },
    password: { type: 'string', format: 'password', minLength: 8, maxLength: 256 },
  },
};

const user = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' }, email: { type: 'string' },
    role: { type: 'string', description: 'The database role of this user\'s requests (server-side mapping).' },
    created_at: { type: 'string', format: 'date-time' },
  },
};

function session(cookieMode: boolean) {
  const properties: Record<string, unknown> = {
    access_token: { type: 'string', description: 'A JWT: send it as `Authorization: Bearer <access_token>`.' },
    token_type: { type: 'string', enum: ['bearer'] },
    expires_in: { type: 'integer', description: 'Seconds the access token is valid.' },
    expires_at: { type: 'integer', description: 'Unix time the access token expires.' },
    user,
  };
  if (!cookieMode) properties.refresh_token = { type: 'string', description: 'Opaque; rotated on every use (POST /auth/refresh).' };
  return { type: 'object', properties };
}

/** Paths of the auth service, keyed as in `paths`; `errorKey` names the document's error schema. */
export function authPaths(opts: AuthDocOptions, errorKey: string): Record<string, PathItem | Record<string, unknown>> {
  const error = (description: string) => ({ description, content: json(ref('schemas', errorKey)) });
  const sessionOk = (code: number, description: string) => ({
    [code]: {
      description,
      content: json(session(opts.cookieMode)),
      ...(opts.cookieMode ? { headers: { 'Set-Cookie': { description: 'The refresh token (httpOnly, SameSite).', schema: { type: 'string' } } } } : {}),
    },
  });
  const refreshBody = opts.cookieMode
    ? { required: false, content: json({ type: 'object', properties: { refresh_token: { type: 'string' } } }), description: 'Optional: the cookie is used otherwise.' }
    : { required: true, content: json({ type: 'object', required: ['refresh_token'], properties: { refresh_token: { type: 'string' } } }) };
  const bearer = [{ bearerAuth: [] }];
  const paths: Record<string, Record<string, unknown>> = {
    '/auth/login': {
      post: {
        tags, operationId: 'auth_login', summary: 'Sign in with email and password', security: [{}],
        requestBody: { required: true, content: json(credentials) },
        responses: { ...sessionOk(200, 'Signed in'), 400: error('Invalid body, or wrong email or password (PSQA02)'), 429: error('Too many attempts: wait Retry-After seconds') },
      },
    },
    '/auth/refresh': {
      post: {
        tags, operationId: 'auth_refresh', summary: 'Trade a refresh token for new tokens', security: [{}],
        requestBody: refreshBody,
        responses: { ...sessionOk(200, 'New tokens (the old refresh token is spent)'), 400: error('Invalid body'), 401: error('Invalid, expired or reused refresh token') },
      },
    },
    '/auth/logout': {
      post: {
        tags, operationId: 'auth_logout', summary: 'End the session of the access token (or of the refresh token)', security: [...bearer, {}],
        requestBody: { ...refreshBody, required: false },
        responses: { 204: { description: 'Signed out' }, 401: error('Invalid token') },
      },
    },
    '/auth/me': {
      get: {
        tags, operationId: 'auth_me', summary: 'The signed-in user', security: bearer,
        responses: { 200: { description: 'The user', content: json(user) }, 401: error('Not signed in') },
      },
    },
    '/.well-known/jwks.json': {
      get: {
        tags, operationId: 'auth_jwks', summary: 'Public keys of the tokens the auth service signs', security: [{}],
        responses: { 200: { description: 'A JWK set', content: { 'application/jwk-set+json': { schema: { type: 'object', properties: { keys: { type: 'array', items: { type: 'object' } } } } } } }, 404: error('No asymmetric keys (HS256 signing)') },
      },
    },
  };
  if (opts.signup !== 'disabled') {
    paths['/auth/signup'] = {
      post: {
        tags, operationId: 'auth_signup',
        summary: opts.signup === 'admin-only' ? 'Create a user (an admin\'s access token is required)' : 'Create an account and sign in',
        security: opts.signup === 'admin-only' ? bearer : [{}],
        requestBody: { required: true, content: json({ ...credentials, properties: { ...credentials.properties, role: { type: 'string', description: 'Admins only: one of auth-roles.' } } }) },
        responses: { ...sessionOk(201, 'Created (and signed in, unless an admin created it: then only `user`)'), 400: error('Invalid body or weak password'), 403: error('Sign-up not allowed'), 409: error('Email taken'), 429: error('Too many attempts') },
      },
    };
  }
  return Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b)));
}
