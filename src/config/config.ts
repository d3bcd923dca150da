// Loads configuration once: CLI flags > config file > PESQUEL_* env (PGRST_* aliases, *_FILE variants)
// > defaults; validates it and returns an immutable, typed Config. Nothing else reads process.env.
import { readFileSync } from 'node:fs';
import { optionAliases, optionSpecs, type OptionName, type OptionSpec } from './options.js';
import { parseConfigFile } from './config-file.js';
import { ConfigError } from './config-error.js';

export { ConfigError };

type ValueOf<S extends OptionSpec> =
  S['type'] extends 'int' ? number | null :
  S['type'] extends 'bool' ? boolean :
  S['type'] extends 'list' ? readonly string[] | null :
  string | null;

export type RawConfig = { readonly [K in OptionName]: ValueOf<(typeof optionSpecs)[K]> };

export interface Config {
  readonly dbUri: string | null;
  readonly dbListenUri: string | null;
  readonly dbReplicaUris: readonly string[] | null;
  readonly dbReplicaMaxLag: number;
  readonly dataDir: string;
  readonly embeddedPsqlPort: number;
  readonly dbSchemas: readonly string[];
  readonly dbAnonRole: string | null;
  readonly dbExtraSearchPath: readonly string[];
  readonly dbMaxRows: number | null;
  readonly dbPool: number;
  readonly dbPoolAcquisitionTimeout: number;
  readonly dbPoolMaxIdletime: number;
  readonly dbPoolMaxLifetime: number;
  readonly dbPoolAutomaticRecovery: boolean;
  readonly dbPreparedStatements: boolean;
  readonly dbChannel: string;
  readonly dbChannelEnabled: boolean;
  readonly dbConfig: boolean;
  readonly dbPreConfig: string | null;
  readonly dbTxEnd: 'commit' | 'commit-allow-override' | 'rollback' | 'rollback-allow-override';
  readonly dbHoistedTxSettings: readonly string[] | null;
  readonly dbAggregatesEnabled: boolean;
  readonly dbPreRequest: string | null;
  readonly dbPlanEnabled: boolean;
  readonly dbRootSpec: string | null;
  readonly dbInit: boolean;
  readonly jwtSecret: string | null;
  readonly jwtSecretIsBase64: boolean;
  readonly jwtAud: string | null;
  readonly jwtRoleClaimKey: string;
  readonly jwtCacheMaxLifetime: number;
  readonly dbAllowPrivilegedRoles: boolean;
  readonly authEnabled: boolean;
  readonly authSignup: 'open' | 'disabled' | 'admin-only';
  readonly authAdminRole: string | null;
  readonly authDefaultRole: string;
  readonly authRoles: readonly string[] | null;
  readonly authSigningAlg: 'ES256' | 'EdDSA' | 'RS256' | 'HS256';
  readonly authKeyRotation: number;
  readonly authAccessTokenLifetime: number;
  readonly authRefreshTokenLifetime: number;
  readonly authPasswordMinLength: number;
  readonly authRateLimitIp: number;
  readonly authRateLimitAccount: number;
  readonly authCookieMode: boolean;
  readonly authCookieSecure: boolean;
  readonly authCookieSamesite: 'strict' | 'lax';
  readonly authTrustProxy: boolean;
  readonly serverHost: string;
  readonly serverPort: number;
  readonly serverUnixSocket: string | null;
  /** server-unix-socket-mode as given (octal text, validated); socketMode() in listen-target.ts reads it. */
  readonly serverUnixSocketMode: string;
  /** A number or 'auto' (one per core); read by src/http/workers/count.ts. */
  readonly serverWorkers: string;
  readonly serverCorsAllowedOrigins: readonly string[] | null;
  readonly serverTimingEnabled: boolean;
  readonly serverTraceHeader: string | null;
  readonly serverMaxBodyBytes: number;
  readonly serverMaxBodyTotalBytes: number;
  readonly serverBodyIdleTimeout: number;
  readonly serverBodyMinRate: number;
  readonly serverMaxConnections: number;
  readonly serverMaxHeaderBytes: number;
  readonly adminServerHost: string;
  readonly adminServerPort: number;
  readonly adminUiPort: number;
  readonly adminPassword: string | null;
  readonly adminDbUri: string | null;
  readonly adminJwtClaim: string | null;
  readonly openapiMode: 'follow-privileges' | 'ignore-privileges' | 'disabled';
  readonly openapiServerProxyUri: string | null;
  readonly openapiSecurityActive: boolean;
  readonly migrationsDir: string;
  readonly backupDir: string;
  readonly backupKeep: number;
  readonly backupMaxAgeDays: number;
  readonly logLevel: 'crit' | 'error' | 'warn' | 'info' | 'debug';
  readonly logQuery: 'disabled' | 'main-query';
  /** app.settings.* from the config file or env, passed to each request as settings. */
  readonly appSettings: Readonly<Record<string, string>>;
  /** One line per PGRST_* / PESQUEL_* variable that names no option; the CLI logs them at start. */
  readonly warnings: readonly string[];
}

export interface ConfigSources {
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Contents of the config file, already read. */
  readonly file?: { readonly path: string; readonly text: string } | null;
  /** Options from the command line, by option name. */
  readonly flags?: Readonly<Record<string, string | boolean | undefined>>;
}

export const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const envName = (prefix: string, name: string) => prefix + name.toUpperCase().replace(/[-.]/g, '_');

/** Reads a value from `@path` (PostgREST) syntax. */
function deref(setting: string, value: string): string {
  if (!value.startsWith('@')) return value;
  try {
    return readFileSync(value.slice(1), 'utf8').trim();
  } catch (err) {
    throw new ConfigError(setting, `cannot read file ${value.slice(1)}: ${(err as Error).message}`);
  }
}

/** A raw value of an option as its type (also for in-database values, overrides.ts). */
export function coerce(name: string, spec: OptionSpec, raw: string | boolean): unknown {
  const t = spec.type;
  if (typeof raw === 'boolean') {
    if (t !== 'bool') throw new ConfigError(name, 'a value is required');
    return raw;
  }
  const v = raw.trim();
  if (t === 'string') return v === '' ? null : v;
  if (t === 'int') {
    if (v === '') return null;
    if (!/^-?\d+$/.test(v)) throw new ConfigError(name, `expected a whole number, got '${raw}'`);
    const n = Number(v);
    if (spec.min !== undefined && n < spec.min) throw new ConfigError(name, `must be at least ${spec.min}, got ${n}`);
    return n;
  }
  if (t === 'bool') {
    const l = v.toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(l)) return true;
    if (['false', '0', 'no', 'off'].includes(l)) return false;
    throw new ConfigError(name, `expected true or false, got '${raw}'`);
  }
  if (t === 'list') {
    // '' is an empty list where the option has a default list (PostgREST's `db-extra-search-path = ""`);
    // for options without one it stays unset.
    if (v === '') return spec.default === null ? null : [];
    return v.split(',').map((s) => s.trim()).filter((s) => s !== '');
  }
  if (!t.enum.includes(v)) throw new ConfigError(name, `expected one of ${t.enum.join(', ')}, got '${raw}'`);
  return v;
}

export function loadConfig(sources: ConfigSources = {}): Config {
  const env = sources.env ?? {};
  const values = new Map<string, unknown>();
  const appSettings: Record<string, string> = {};

  const set = (name: string, raw: string | boolean, from: string) => {
    const canonical = (optionAliases[name] ?? name) as OptionName;
    const spec: OptionSpec | undefined = optionSpecs[canonical];
    if (!spec) throw new ConfigError(name, `unknown setting (from ${from})`);
    values.set(canonical, coerce(canonical, spec, typeof raw === 'string' ? deref(canonical, raw) : raw));
  };

  // Lowest precedence first; later sources overwrite.
  for (const [prefix, label] of [['PGRST_', 'PGRST_* environment'], ['PESQUEL_', 'PESQUEL_* environment']] as const) {
    for (const name of [...Object.keys(optionSpecs), ...Object.keys(optionAliases)]) {
      const direct = env[envName(prefix, name)];
      const fileVar = envName(prefix, name) + '_FILE';
      const file = env[fileVar];
      if (file !== undefined && file !== '') {
        try {
          set(name, readFileSync(file, 'utf8').trim(), fileVar);
        } catch (err) {
          if (err instanceof ConfigError) throw err;
          throw new ConfigError(name, `cannot read ${fileVar}=${file}: ${(err as Error).message}`);
        }
      } else if (direct !== undefined) {
        set(name, direct, label);
      }
    }
    for (const [k, v] of Object.entries(env)) {
      if (k.startsWith(prefix + 'APP_SETTINGS_') && v !== undefined) {
        appSettings[k.slice(prefix.length + 'APP_SETTINGS_'.length).toLowerCase()] = v;
      }
    }
  }
  if (sources.file) {
    const entries = parseConfigFile(sources.file.text, sources.file.path);
    for (const [k, v] of entries) {
      if (k.startsWith('app.settings.')) appSettings[k.slice('app.settings.'.length)] = v;
      else set(k, v, sources.file.path);
    }
  }
  for (const [k, v] of Object.entries(sources.flags ?? {})) {
    if (v !== undefined) set(k, v, `--${k}`);
  }

  const raw = Object.fromEntries(
    Object.entries(optionSpecs).map(([name, spec]) => [name, values.has(name) ? values.get(name) : spec.default]),
  ) as Record<string, unknown>;
  const config = Object.fromEntries(Object.entries(raw).map(([k, v]) => [camel(k), v])) as Record<string, unknown>;
  config.adminServerHost ??= config.serverHost;
  config.appSettings = Object.freeze(appSettings);
  config.warnings = Object.freeze(unknownVariables(env));
  return validate(Object.freeze(config) as unknown as Config);
}

// PeSquel's variables that are not options: read by the CLI, the deploy scripts or the tests.
const ownVariables = /^PESQUEL_(CONFIG|DOMAIN|BACKUP_EVERY|BACKUP_STALE_AFTER|AUTHENTICATOR_SCRAM|INIT_SQL_DIR|STACK_.*|TEST_.*)$/;

/** `PGRST_DB_PLAN_ENABLE is not a PeSquel option (ignored)` for each variable naming no option. */
function unknownVariables(env: Readonly<Record<string, string | undefined>>): string[] {
  const known = new Set<string>();
  for (const prefix of ['PGRST_', 'PESQUEL_']) {
    for (const name of [...Object.keys(optionSpecs), ...Object.keys(optionAliases)]) {
      known.add(envName(prefix, name));
      known.add(envName(prefix, name) + '_FILE');
    }
  }
  return Object.keys(env)
    .filter((k) => (k.startsWith('PGRST_') || k.startsWith('PESQUEL_')) && !known.has(k))
    .filter((k) => !/^(PGRST|PESQUEL)_APP_SETTINGS_/.test(k) && !ownVariables.test(k))
    .sort()
    .map((k) => `${k} is not a PeSquel option (ignored)`);
}

/** The checks across options; throws a ConfigError naming the setting. */
export function validate(c: Config): Config {
  if (c.dbSchemas.length === 0) throw new ConfigError('db-schemas', 'at least one schema is required');
  if (c.dbUri !== null && !/^postgres(ql)?:\/\//.test(c.dbUri)) {
    throw new ConfigError('db-uri', "expected a URI starting with postgres:// or postgresql://");
  }
  validateReplicas(c);
  if (c.jwtSecret !== null && !c.jwtSecret.startsWith('{') && !/^https?:\/\//.test(c.jwtSecret)) {
    const len = c.jwtSecretIsBase64 ? Buffer.from(c.jwtSecret, 'base64').length : c.jwtSecret.length;
    if (len < 32) throw new ConfigError('jwt-secret', 'must be at least 32 characters long');
  }
  validateAuth(c);
  if (c.serverMaxBodyTotalBytes < c.serverMaxBodyBytes) {
    throw new ConfigError('server-max-body-total-bytes', `must be at least server-max-body-bytes (${c.serverMaxBodyBytes}): a body between the two could never be accepted`);
  }
  if (!/^[0-7]{3,4}$/.test(c.serverUnixSocketMode) || parseInt(c.serverUnixSocketMode, 8) < 0o600 || parseInt(c.serverUnixSocketMode, 8) > 0o777) {
    throw new ConfigError('server-unix-socket-mode', `expected an octal mode between 600 and 777, got '${c.serverUnixSocketMode}'`);
  }
  if (!/^\.|^$/.test(c.jwtRoleClaimKey)) {
    throw new ConfigError('jwt-role-claim-key', `expected a JSPath such as .role, got '${c.jwtRoleClaimKey}'`);
  }
  return c;
}

/** db-replica-uris: each a postgres:// URI, and only beside db-uri. Messages never quote a URI (it may hold a password). */
function validateReplicas(c: Config): void {
  const uris = c.dbReplicaUris ?? [];
  if (uris.length > 0 && c.dbUri === null) {
    throw new ConfigError('db-replica-uris', 'read replicas need db-uri (the primary); the embedded database has none');
  }
  uris.forEach((uri, i) => {
    if (!/^postgres(ql)?:\/\/\S+$/.test(uri)) {
      throw new ConfigError('db-replica-uris', `URI ${i + 1} of ${uris.length}: expected a URI starting with postgres:// or postgresql:// (URIs separated by commas)`);
    }
  });
}

const loopback = /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\//;

function validateAuth(c: Config): void {
  const s = c.jwtSecret;
  if (s !== null && /^https?:\/\//i.test(s) && !/^https:\/\//i.test(s) && !loopback.test(s)) {
    throw new ConfigError('jwt-secret', 'a JWKS URL must use https:// (plain http only on the loopback address)');
  }
  if (c.authEnabled && c.authSigningAlg === 'HS256' && (s === null || s.startsWith('{') || /^https?:\/\//i.test(s))) {
    throw new ConfigError('auth-signing-alg', 'HS256 signs with jwt-secret, which must then be an HS secret (not a JWK, JWKS or URL)');
  }
  if (c.authEnabled && c.authSignup === 'admin-only' && c.authAdminRole === null) {
    throw new ConfigError('auth-signup', 'admin-only needs auth-admin-role (the role whose tokens may sign users up)');
  }
  if (c.authDefaultRole === '') throw new ConfigError('auth-default-role', 'a role name is required');
  if (c.authEnabled && c.dbSchemas.includes('auth')) {
    throw new ConfigError('db-schemas', "the auth schema holds password hashes and sessions and must never be exposed (or set auth-enabled=false)");
  }
}
