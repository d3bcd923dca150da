// The security part of the OpenAPI document: PeSquel's optional bearer token by default, and with
// openapi-security-active PostgREST's `JWT` scheme (an Authorization header) applied to every operation.

/** PostgREST's scheme name and description (Swagger 2.0 `securityDefinitions.JWT`). */
const postgrestJwt = {
  type: 'apiKey', in: 'header', name: 'Authorization',
  description: 'Add the token prepending "Bearer " (without quotes) to it',
} as const;

/** The auth service's endpoints refer to `bearerAuth`, so it is always declared. */
const bearerAuth = { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A JWT whose `role` claim names the database role.' } as const;

/** `components.securitySchemes`. */
export function securitySchemes(active: boolean): Record<string, unknown> {
  return active ? { bearerAuth, JWT: postgrestJwt } : { bearerAuth };
}

/**
 * The document's `security`. Default: a bearer token is optional (anonymous requests run as the anon
 * role). Active (PostgREST): `[{ JWT: [] }]`, so Swagger UI asks for the token and sends it everywhere.
 */
export function documentSecurity(active: boolean): readonly Record<string, readonly string[]>[] {
  return active ? [{ JWT: [] }] : [{ bearerAuth: [] }, {}];
}

/** Swagger 2.0 has no `http` scheme: a bearer token is an apiKey in the Authorization header there. */
export function swagger2SecurityDefinitions(schemes: unknown): Record<string, unknown> {
  const entries = Object.entries(typeof schemes === 'object' && schemes !== null ? schemes : {});
  return Object.fromEntries(entries.map(([name, s]) => [name, (s as { type?: unknown }).type === 'http'
    ? { type: 'apiKey', name: 'Authorization', in: 'header', description: 'Bearer <JWT>' }
    : s]));
}
