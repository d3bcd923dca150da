// Builds PeSquel's authentication from the configuration: the request authenticator (JWT or
// anonymous-only), the role guard, the built-in auth service's routes, and the start-time check.
// main.ts calls it once after the schema cache has loaded.
import { ConfigError, type Config } from '../config/config.js';
import type { Db } from '../db/types.js';
import type { RawRequest } from '../request/parse-request.js';
import type { ApiResponse } from '../response/types.js';
import type { SchemaCache } from '../schema-cache/types.js';
import { anonymousOnly } from './anonymous.js';
import { JsPathError, parseJsPath } from './jspath.js';
import { createJwtVerifier } from './jwt/authenticator.js';
import { fixedSource, staticKeys, type KeySource } from './jwt/keys.js';
import { RemoteJwks } from './jwt/remote-jwks.js';
import { RoleGuard } from './role-guard.js';
import { checkSafety, requestRoles } from './safety.js';
import { authErrors } from './service/errors.js';
import { DbAccountGate, loginAttemptsTable, type AccountGate } from './service/account-gate.js';
import { addressAttemptsTable, DbAddressGate, RateLimiter, type AddressGate } from './service/rate-limit.js';
import { authRoutes } from './service/routes.js';
import { AuthService } from './service/service.js';
import { hsSigner, StoredKeys, type Signer } from './service/signing-keys.js';
import { AuthStore } from './service/store.js';
import type { Authenticate } from './types.js';

export interface AuthSetup {
  readonly authenticate: Authenticate;
  /** /auth/* and /.well-known/jwks.json; null for other paths. */
  readonly routes: (raw: RawRequest) => Promise<ApiResponse> | null;
  /** Throws when a request role is a superuser or BYPASSRLS; returns warnings to log. */
  check(): Promise<string[]>;
}

export interface AuthSetupDeps {
  readonly config: Config;
  readonly db: Db;
  readonly schemaCache: () => SchemaCache | null;
  readonly warn: (message: string) => void;
  readonly onDecision?: (e: { type: 'auth'; outcome: 'success' | 'failure'; method: string; reason?: string }) => void;
}

/** The keys of jwt-secret (a secret, JWK(S) or JWKS URL): also what the admin UI's token sign-in trusts. */
export function configuredSources(config: Config, warn: (m: string) => void): KeySource[] {
  const secret = config.jwtSecret;
  if (secret === null) return [];
  if (/^https?:\/\//i.test(secret)) {
    const remote = new RemoteJwks(secret, { onError: warn });
    void remote.keys(); // warm up; a failure is retried on the next token
    return [remote];
  }
  try {
    const keys = staticKeys(secret, config.jwtSecretIsBase64);
    if (keys.length === 0) throw new Error('the JWKS has no usable signing keys');
    return [fixedSource(keys)];
  } catch (err) {
    throw new ConfigError('jwt-secret', (err as Error).message);
  }
}

export async function setupAuth(deps: AuthSetupDeps): Promise<AuthSetup> {
  const { config, db } = deps;
  let rolePath;
  try {
    rolePath = parseJsPath(config.jwtRoleClaimKey);
  } catch (err) {
    if (err instanceof JsPathError) throw new ConfigError('jwt-role-claim-key', err.message);
    throw err;
  }
  const guard = new RoleGuard(db, deps.schemaCache, config.dbAllowPrivilegedRoles);
  const sources = configuredSources(config, deps.warn);

  const store = new AuthStore(db);
  const serviceOn = config.authEnabled && (await store.available());
  if (config.authEnabled && !serviceOn) deps.warn('the auth schema is missing: /auth/* answers 503 until the init SQL is applied (pesquel init)');
  let signer: Signer | null = null;
  if (serviceOn) {
    if (config.authSigningAlg === 'HS256') {
      signer = hsSigner((staticKeys(config.jwtSecret ?? '', config.jwtSecretIsBase64)[0]?.material ?? new Uint8Array()) as Uint8Array);
    } else {
      signer = new StoredKeys(db, { alg: config.authSigningAlg, rotationMs: config.authKeyRotation * 1000, accessLifetimeMs: config.authAccessTokenLifetime * 1000 });
    }
    if (signer.source) sources.push(signer.source);
  }

  const verifier = createJwtVerifier({
    sources, audience: config.jwtAud, roleClaimPath: rolePath, anonRole: config.dbAnonRole,
    cacheMaxLifetimeSeconds: config.jwtCacheMaxLifetime, guard,
  });
  const authenticate = sources.length > 0 ? verifier.authenticate : anonymousOnly(config.dbAnonRole);

  let routes: AuthSetup['routes'];
  if (signer) {
    const limiter = new RateLimiter({ perIp: config.authRateLimitIp, perAccount: config.authRateLimitAccount });
    let accounts: AccountGate = limiter;
    if (await loginAttemptsTable(db)) {
      accounts = new DbAccountGate(db, { allowance: config.authRateLimitAccount }, (err) => deps.warn(`pruning auth.login_attempts failed: ${(err as Error).message}`));
    } else {
      deps.warn('auth.login_attempts is missing: sign-in backoff is kept per instance until the init SQL is applied again (pesquel init)');
    }
    let addresses: AddressGate = limiter;
    if (await addressAttemptsTable(db)) {
      addresses = new DbAddressGate(db, { perIp: config.authRateLimitIp }, (err) => deps.warn(`pruning auth.address_attempts failed: ${(err as Error).message}`));
    } else {
      deps.warn('auth.address_attempts is missing: the per-address limit is kept per process until the init SQL is applied again (pesquel init)');
    }
    const service = new AuthService({ config, store, signer, limiter: addresses, accounts, guard, verifier, onDecision: deps.onDecision });
    routes = authRoutes({ config, service, signer });
  } else {
    const isAuthPath = (raw: RawRequest) => /^\/auth\/[^?]|^\/\.well-known\/jwks\.json(\?|$)/.test(raw.url);
    routes = (raw) => (config.authEnabled && isAuthPath(raw) ? Promise.reject(authErrors.serviceUnavailable()) : null);
  }

  return {
    authenticate,
    routes,
    check: async () => {
      await guard.load();
      const cache = deps.schemaCache();
      if (!cache) return [];
      // The embedded database is a superuser session by construction (docs/auth.md); a server is not.
      const who = config.dbUri === null ? null
        : (await db.query<{ name: string; superuser: boolean }>('SELECT current_user AS name, rolsuper AS superuser FROM pg_roles WHERE rolname = current_user')).rows[0];
      const report = checkSafety(requestRoles(config), (r) => guard.facts(r), cache, config.dbAllowPrivilegedRoles, who?.superuser ? who.name : null);
      if (report.errors.length > 0) throw new Error(`PeSquel refuses to start: ${report.errors.join(' ')}`);
      return report.warnings;
    },
  };
}
