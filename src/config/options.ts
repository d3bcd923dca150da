// Every configuration option PeSquel reads: PostgREST's names and defaults, plus PeSquel's own.
// Names are kebab-case as in PostgREST's config file; env vars are PESQUEL_<UPPER_SNAKE> (PGRST_* too).

export type OptionType = 'string' | 'int' | 'bool' | 'list' | { readonly enum: readonly string[] };

export interface OptionSpec {
  readonly type: OptionType;
  readonly default: string | number | boolean | readonly string[] | null;
  readonly doc: string;
  /** Minimum for ints. */
  readonly min?: number;
}

export const optionSpecs = {
  'db-uri': { type: 'string', default: null, doc: 'PostgreSQL connection URI. Unset: the embedded database (PGlite) in data-dir.' },
  'db-listen-uri': { type: 'string', default: null, doc: 'URI for the LISTEN connection (schema reloads); defaults to db-uri. Point it past pgBouncer.' },
  'db-replica-uris': { type: 'list', default: null, doc: 'Read replicas of db-uri (comma-separated PostgreSQL URIs): GET/HEAD reads and GET/HEAD RPC go to a healthy one in turn, everything else to db-uri (docs/deployment.md, Read replicas).' },
  'db-replica-max-lag': { type: 'int', default: 10, min: 1, doc: 'Seconds of replay lag after which a replica takes no reads until it catches up.' },
  'data-dir': { type: 'string', default: '.pesquel/data', doc: 'Data directory of the embedded database.' },
  'embedded-psql-port': { type: 'int', default: 5433, min: 0, doc: 'Loopback port where psql can connect to the embedded database (0: off). The password is kept in <data-dir>/pesquel-psql-password.' },
  'db-schemas': { type: 'list', default: ['api'], doc: 'Exposed schemas; the first is the default.' },
  'db-anon-role': { type: 'string', default: 'api_anon', doc: 'Role for requests without a JWT. Empty: anonymous access disabled.' },
  'db-extra-search-path': { type: 'list', default: ['public'], doc: 'Schemas added to search_path after the request schema (empty: none).' },
  'db-max-rows': { type: 'int', default: null, min: 0, doc: 'Upper bound on rows returned by GET and RPC.' },
  'db-pool': { type: 'int', default: 10, min: 1, doc: 'Connection pool size (server mode).' },
  'db-pool-acquisition-timeout': { type: 'int', default: 10, min: 1, doc: 'Seconds to wait for a pooled connection before 504 PGRST003.' },
  'db-pool-max-idletime': { type: 'int', default: 30, min: 1, doc: 'Seconds an idle pooled connection is kept.' },
  'db-pool-max-lifetime': { type: 'int', default: 1800, min: 1, doc: 'Seconds a pooled connection lives: then it is closed (once back in the pool) and a new one replaces it, so per-connection plan caches and memory do not live forever.' },
  'db-pool-automatic-recovery': { type: 'bool', default: true, doc: 'Recover from a lost database connection (requests answer 503 PGRST000 meanwhile). Off: log one line and exit with status 1 when the connection is lost, for a supervisor to restart PeSquel.' },
  'db-prepared-statements': { type: 'bool', default: true, doc: 'Prepare the API\'s statements on each connection (parsed once, then bound per request). Off: unnamed statements, for a pooler in transaction mode without prepared-statement support (pgBouncer before 1.21, or max_prepared_statements = 0); PeSquel also turns them off by itself when the server keeps losing them.' },
  'db-channel': { type: 'string', default: 'pgrst', doc: 'NOTIFY channel for schema/config reloads.' },
  'db-channel-enabled': { type: 'bool', default: true, doc: 'Listen on db-channel.' },
  'db-config': { type: 'bool', default: true, doc: 'Read in-database configuration (pgrst.* settings of the db-uri role, and db-pre-config) at start and on reload config (NOTIFY or SIGUSR2); it overrides flags, file and environment (docs/configuration.md, In-database configuration).' },
  'db-pre-config': { type: 'string', default: null, doc: 'Function called before the in-database configuration is read; it sets pgrst.* values with set_config(…, true).' },
  'db-tx-end': { type: { enum: ['commit', 'commit-allow-override', 'rollback', 'rollback-allow-override'] }, default: 'commit', doc: 'How request transactions end.' },
  'db-hoisted-tx-settings': { type: 'list', default: ['statement_timeout', 'plan_filter.statement_cost_limit', 'default_transaction_isolation'], doc: 'Function SET settings applied to the whole transaction of an RPC call.' },
  'db-aggregates-enabled': { type: 'bool', default: false, doc: 'Allow aggregate functions in select.' },
  'db-pre-request': { type: 'string', default: null, doc: 'Function called before each request, after role and settings.' },
  'db-plan-enabled': { type: 'bool', default: false, doc: 'Serve execution plans (Accept: application/vnd.pgrst.plan).' },
  'db-root-spec': { type: 'string', default: null, doc: 'Function (in the request schema) whose result answers GET / instead of the OpenAPI document, as application/openapi+json when asked for.' },
  'db-init': { type: 'bool', default: true, doc: 'Apply the bundled init SQL when the api schema is missing.' },
  'jwt-secret': { type: 'string', default: null, doc: 'HS* secret (≥ 32 characters), a JWK or JWKS (JSON), or an https:// JWKS URL.' },
  'jwt-secret-is-base64': { type: 'bool', default: false, doc: 'jwt-secret is base64-encoded.' },
  'jwt-aud': { type: 'string', default: null, doc: 'Expected aud claim.' },
  'jwt-role-claim-key': { type: 'string', default: '.role', doc: 'JSPath of the role claim.' },
  'jwt-cache-max-lifetime': { type: 'int', default: 0, min: 0, doc: 'Seconds a verified JWT is cached (0 = off). Tokens signed with the keys of jwt-secret itself are verified once anyway (docs/auth.md).' },
  'db-allow-privileged-roles': { type: 'bool', default: false, doc: 'Allow request roles that are superusers or have BYPASSRLS (RLS would not apply). Off: refuse to start.' },
  'auth-enabled': { type: 'bool', default: true, doc: 'Serve the built-in auth service (/auth/*) and trust the tokens it signs.' },
  'auth-signup': { type: { enum: ['open', 'disabled', 'admin-only'] }, default: 'open', doc: 'Who may POST /auth/signup.' },
  'auth-admin-role': { type: 'string', default: null, doc: 'Role whose access tokens may sign users up (admin-only) and map them to a role.' },
  'auth-default-role': { type: 'string', default: 'api_user', doc: 'Role in the tokens of users without a mapped role.' },
  'auth-roles': { type: 'list', default: null, doc: 'Roles users may be mapped to (default: auth-default-role only).' },
  'auth-signing-alg': { type: { enum: ['ES256', 'EdDSA', 'RS256', 'HS256'] }, default: 'ES256', doc: 'How the auth service signs: generated, rotated key pairs, or HS256 with jwt-secret.' },
  'auth-key-rotation': { type: 'int', default: 2592000, min: 60, doc: 'Seconds a signing key pair signs before a new one replaces it.' },
  'auth-access-token-lifetime': { type: 'int', default: 900, min: 10, doc: 'Seconds an access token is valid.' },
  'auth-refresh-token-lifetime': { type: 'int', default: 2592000, min: 60, doc: 'Seconds a refresh token is valid.' },
  'auth-password-min-length': { type: 'int', default: 8, min: 8, doc: 'Shortest accepted password (the longest is 256).' },
  'auth-rate-limit-ip': { type: 'int', default: 30, min: 1, doc: 'Auth attempts per client address per minute.' },
  'auth-rate-limit-account': { type: 'int', default: 5, min: 1, doc: 'Failed logins per account before exponential backoff.' },
  'auth-cookie-mode': { type: 'bool', default: false, doc: 'Keep the refresh token in an httpOnly SameSite cookie instead of the JSON body.' },
  'auth-cookie-secure': { type: 'bool', default: true, doc: 'Mark the refresh cookie Secure (HTTPS only).' },
  'auth-cookie-samesite': { type: { enum: ['strict', 'lax'] }, default: 'strict', doc: 'SameSite attribute of the refresh cookie.' },
  'auth-trust-proxy': { type: 'bool', default: false, doc: 'Take the client address for rate limits from the last X-Forwarded-For entry.' },
  'server-host': { type: 'string', default: '127.0.0.1', doc: 'Address the API listens on.' },
  'server-port': { type: 'int', default: 3000, min: 0, doc: 'API port.' },
  'server-unix-socket': { type: 'string', default: null, doc: 'Path of a Unix domain socket the API listens on instead of server-host/server-port (a stale socket file there is replaced; any other file is an error). Removed at a clean stop.' },
  'server-unix-socket-mode': { type: 'string', default: '660', doc: 'Octal permissions of server-unix-socket, 600 to 777.' },
  'server-workers': { type: 'string', default: '1', doc: 'API worker processes sharing the ports (Node cluster): a number, or auto for one per available core. Each has its own pool of db-pool connections. Server mode only (the embedded database allows 1).' },
  'server-cors-allowed-origins': { type: 'list', default: null, doc: 'Origins allowed to read cross-origin, echoed with credentials (unset: any origin, `Access-Control-Allow-Origin: *` without credentials).' },
  'server-timing-enabled': { type: 'bool', default: false, doc: 'Send Server-Timing headers.' },
  'server-trace-header': { type: 'string', default: null, doc: 'Request header echoed in the response (e.g. X-Request-Id).' },
  'server-max-body-bytes': { type: 'int', default: 52428800, min: 1, doc: 'Largest request body (bytes, default 50 MiB); larger ones get 413 PGRST102 (checked against Content-Length before reading).' },
  'server-max-body-total-bytes': { type: 'int', default: 209715200, min: 1, doc: 'Request body bytes held at once by all requests (default 200 MiB); past it 503 PGRST191 with Retry-After. Peak memory is a multiple of this (docs/operations.md).' },
  'server-body-idle-timeout': { type: 'int', default: 10, min: 1, doc: 'Seconds a request body may stall; it must also average server-body-min-rate after that. Else 408 PGRST102.' },
  'server-body-min-rate': { type: 'int', default: 1024, min: 1, doc: 'Bytes per second a request body must average after its first server-body-idle-timeout seconds.' },
  'server-max-connections': { type: 'int', default: 1000, min: 0, doc: 'Open client connections to the API (0: no cap); requests on connections past it get 503 PGRST191 and the connection closes.' },
  'server-max-header-bytes': { type: 'int', default: 16384, min: 1024, doc: 'Largest request line plus headers (bytes); larger ones get 431 PGRST190.' },
  'admin-server-host': { type: 'string', default: null, doc: 'Address of the admin server (defaults to server-host).' },
  'admin-server-port': { type: 'int', default: 3001, min: 0, doc: 'Port of /live, /ready and /metrics (0: off).' },
  'admin-ui-port': { type: 'int', default: 3002, min: 0, doc: 'Port of the web admin UI (0: off).' },
  'admin-password': { type: 'string', default: null, doc: 'Admin UI password (embedded mode generates one at first start).' },
  'admin-jwt-claim': { type: 'string', default: null, doc: 'JSPath of the claim (e.g. .email) naming the admin UI account of a JWT verified with jwt-secret: enables sign-in with a token of that issuer (off when unset).' },
  'admin-db-uri': { type: 'string', default: null, doc: 'Admin UI connection URI (a role that may manage the database); defaults to db-listen-uri, then db-uri. Server mode only.' },
  'openapi-mode': { type: { enum: ['follow-privileges', 'ignore-privileges', 'disabled'] }, default: 'follow-privileges', doc: 'OpenAPI at GET /.' },
  'openapi-server-proxy-uri': { type: 'string', default: null, doc: 'Public base URL used in the OpenAPI document.' },
  'openapi-security-active': { type: 'bool', default: false, doc: 'Declare the JWT bearer scheme (Authorization header) in the OpenAPI document and apply it to every operation.' },
  'migrations-dir': { type: 'string', default: 'migrations', doc: 'Directory of the forward-only SQL migrations (pesquel migrate).' },
  'backup-dir': { type: 'string', default: '.pesquel/backups', doc: 'Where pesquel backup writes and /metrics looks for the newest backup.' },
  'backup-keep': { type: 'int', default: 7, min: 1, doc: 'Backups kept by pesquel backup (older ones are deleted).' },
  'backup-max-age-days': { type: 'int', default: 30, min: 0, doc: 'Backups older than this many days are deleted (0 = no age limit); the newest is always kept.' },
  'log-level': { type: { enum: ['crit', 'error', 'warn', 'info', 'debug'] }, default: 'info', doc: 'Log level.' },
  'log-query': { type: { enum: ['disabled', 'main-query'] }, default: 'disabled', doc: 'main-query: each request log line carries the text of its main SQL statement (values are bind parameters and never logged).' },
} as const satisfies Record<string, OptionSpec>;

export type OptionName = keyof typeof optionSpecs;

/** PostgREST's legacy aliases. */
export const optionAliases: Readonly<Record<string, OptionName>> = {
  'db-schema': 'db-schemas',
  'max-rows': 'db-max-rows',
  'db-pool-timeout': 'db-pool-acquisition-timeout',
};
