// In-database configuration (db-config): which options PostgREST lets the database set, under which
// setting names (`pgrst.db_schemas`), and the configuration they make over the file/env one.
import { camel, coerce, validate, type Config } from './config.js';
import { optionSpecs, type OptionName } from './options.js';

/** PostgREST v13's options with an in-database name ("In-Database" in its configuration reference). */
export const inDbOptions = [
  'db-aggregates-enabled', 'db-anon-role', 'db-pre-config', 'db-extra-search-path', 'db-max-rows', 'db-plan-enabled',
  'db-pre-request', 'db-prepared-statements', 'db-root-spec', 'db-schemas', 'jwt-aud', 'jwt-role-claim-key', 'jwt-secret', 'jwt-secret-is-base64',
  'jwt-cache-max-lifetime', 'openapi-mode', 'openapi-security-active', 'openapi-server-proxy-uri', 'server-cors-allowed-origins',
  'server-trace-header', 'server-timing-enabled',
] as const satisfies readonly OptionName[];

export type InDbOption = (typeof inDbOptions)[number];

/** `db-schemas` → `pgrst.db_schemas`. */
export const settingName = (option: InDbOption): string => `pgrst.${option.replace(/-/g, '_')}`;

/** `pgrst.db_schemas` → `db-schemas`; undefined for names that are not in-database options. */
export function optionOfSetting(name: string): InDbOption | undefined {
  return inDbOptions.find((o) => settingName(o) === name);
}

/**
 * The base configuration with the database's values on top (they win over flags, file and
 * environment, as in PostgREST). Values are read as the file's would be; a bad one throws a
 * ConfigError naming `pgrst.<name>`, and the caller keeps the configuration it had.
 * Example: withInDbValues(base, new Map([['db-max-rows', '1']])).dbMaxRows → 1
 */
export function withInDbValues(base: Config, values: ReadonlyMap<InDbOption, string>): Config {
  if (values.size === 0) return base;
  const next: Record<string, unknown> = { ...base };
  for (const [option, raw] of values) next[camel(option)] = coerce(settingName(option), optionSpecs[option], raw);
  return validate(Object.freeze(next) as unknown as Config);
}

/** The in-database options whose values differ between two configurations (for the reload's log line). */
export function changedOptions(a: Config, b: Config): InDbOption[] {
  const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
  return inDbOptions.filter((o) => !same((a as unknown as Record<string, unknown>)[camel(o)], (b as unknown as Record<string, unknown>)[camel(o)]));
}
