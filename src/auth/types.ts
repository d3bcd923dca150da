// What authentication hands the pipeline: the role to switch to and the claims to expose.
/**
 * An auth result shared by many requests (the anonymous one, a JWT-cache entry): frozen, so what is
 * derived from it (claims JSON, rendered settings) may be kept with it — see http/settings.ts.
 */
export const sharedAuthResult = (role: string, claims: Record<string, unknown>, authenticated: boolean): AuthResult =>
  Object.freeze({ role, claims: Object.freeze(claims), authenticated });

export interface AuthResult {
  readonly role: string;
  /** Exposed as request.jwt.claims (always includes the role claim). */
  readonly claims: Readonly<Record<string, unknown>>;
  /** True when a valid JWT was presented (42501 → 403 instead of 401). */
  readonly authenticated: boolean;
}

/** Verifies the request's credentials (the Authorization header) into an AuthResult or throws an ApiError. */
export type Authenticate = (headers: Readonly<Record<string, string | undefined>>) => Promise<AuthResult>;
