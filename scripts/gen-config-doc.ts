// Writes docs/configuration.md from src/config/options.ts (run: npx tsx scripts/gen-config-doc.ts).
import { writeFileSync } from 'node:fs';
import { optionAliases, optionSpecs, type OptionSpec } from '../src/config/options.js';
import { inDbOptions } from '../src/config/overrides.js';

const env = (name: string) => name.toUpperCase().replace(/[-.]/g, '_');
const fmtDefault = (d: OptionSpec['default']) =>
  d === null ? '—' : Array.isArray(d) ? `\`${d.join(',')}\`` : `\`${String(d)}\``;
const fmtType = (t: OptionSpec['type']) => (typeof t === 'string' ? t : t.enum.map((x) => `\`${x}\``).join(' \\| '));

const rows = Object.entries(optionSpecs as Record<string, OptionSpec>).map(
  ([name, s]) => `| \`${name}\` | \`PESQUEL_${env(name)}\` | ${fmtType(s.type)} | ${fmtDefault(s.default)} | ${s.doc} |`,
);

const text = `# Configuration reference

Generated from \`src/config/options.ts\` by \`npx tsx scripts/gen-config-doc.ts\`.

Sources, highest precedence first: command-line flags (\`--<option> value\`, plus the shortcuts
\`--db-url\`, \`--port\`, \`--host\`, \`--workers\`), the config file (\`--config FILE\`, \`PESQUEL_CONFIG\`, or
\`./pesquel.conf\`; PostgREST's \`key = "value"\` lines), \`PESQUEL_<OPTION>\` environment variables,
\`PGRST_<OPTION>\` environment variables (PostgREST's names), defaults.
\`pesquel start\` takes every option as a flag; the other commands take only the options they read
(listed by \`pesquel <command> --help\`) and refuse the others with a one-line error.

- Every environment variable has a \`_FILE\` form (\`PESQUEL_JWT_SECRET_FILE=/run/secrets/jwt_secret\`)
  that reads the value from a file; values may also be \`@/path/to/file\` as in PostgREST.
- \`app.settings.<name>\` in the config file, or \`PESQUEL_APP_SETTINGS_<NAME>\`, become the
  transaction settings \`app.settings.<name>\` of every request.
- Lists are comma-separated; an empty value is an empty list (\`PGRST_DB_EXTRA_SEARCH_PATH=""\`: no extra
  schemas) where the option has a default list, and leaves the option unset otherwise. Booleans accept \`true/false\`, \`1/0\`, \`yes/no\`, \`on/off\`.
- PostgREST's aliases are accepted: ${Object.entries(optionAliases).map(([a, b]) => `\`${a}\` → \`${b}\``).join(', ')}.
- Every \`PGRST_*\` or \`PESQUEL_*\` variable that names no option (a typo, or a PostgREST option PeSquel
  does not have) is logged as a warning at start: \`PGRST_DB_PLAN_ENABLE is not a PeSquel option (ignored)\`.
  \`_FILE\` forms, \`*_APP_SETTINGS_*\` and PeSquel's own variables (\`PESQUEL_CONFIG\`, \`PESQUEL_STACK_*\`, …) are known.
- An invalid value stops the start with \`invalid setting '<name>': …\`.

| Option | Environment | Type | Default | Meaning |
|---|---|---|---|---|
${rows.join('\n')}

## In-database configuration (\`db-config\`, \`db-pre-config\`)

As in PostgREST, settings named \`pgrst.<option with underscores>\` in the database override flags, the
file and the environment, at start and whenever the configuration is reloaded: \`NOTIFY pgrst, 'reload config'\`
(an empty \`NOTIFY pgrst\` reloads the configuration, then the schema cache), \`SIGUSR2\` (forwarded to every
worker), and after the LISTEN connection comes back.

\`\`\`sql
ALTER ROLE authenticator SET pgrst.db_max_rows = '1000';
ALTER ROLE authenticator IN DATABASE app SET pgrst.db_schemas = 'api, v2';  -- this database only; wins
NOTIFY pgrst, 'reload config';
\`\`\`

- Whose settings: the role PeSquel connects as (the \`db-uri\` user); on the embedded database, the role
  \`authenticator\`. A setting for the current database beats one for every database, and both beat the values
  the \`db-pre-config\` function sets with \`set_config('pgrst.…', value, true)\` (it runs in a read-only
  transaction that is rolled back, so it needs no SUPERUSER and can change nothing).
- Settable there: ${inDbOptions.map((o) => `\`${o}\``).join(', ')}. The others (\`db-uri\`, the pool, ports, …) are not, as in PostgREST.
- A changed \`db-schemas\` or \`db-extra-search-path\` reloads the schema cache; JWT settings rebuild the verifier.
- An invalid value (\`invalid setting 'pgrst.db_max_rows': expected a whole number, got 'lots'\`) stops a start;
  at a reload it keeps the configuration in force and logs one line (\`config reload failed, …\`).
- \`db-config = false\` ignores the database's settings. The config file and environment are read once, at start.

## Notes on PostgREST v13 options

- \`server-unix-socket\`: only the socket is served (no TCP port); \`curl --unix-socket PATH http://localhost/todos\`.
  The start banner names the socket; \`Running.apiUrl\` is \`http+unix://<path, URI-encoded>\`. Refused with \`server-workers\` > 1.
- \`db-pool-automatic-recovery = false\`: a lost connection of the primary (a pooled one or the LISTEN session)
  logs \`database connection lost and db-pool-automatic-recovery is false: exiting\` at level crit and exits with
  status 1. Refused with \`server-workers\` > 1 (the primary would restart the workers).
- \`log-query = main-query\`: the request log line gets a \`query\` field, the statement with \`$n\` placeholders.
- \`openapi-security-active\`: PostgREST's \`securityDefinitions.JWT\` (an apiKey in the \`Authorization\` header) and
  \`security: [{JWT: []}]\`. Off, PeSquel's document still declares an optional bearer token (\`bearerAuth\`) where
  PostgREST declares none.
`;

writeFileSync(new URL('../docs/configuration.md', import.meta.url), text);
console.log(`docs/configuration.md: ${rows.length} options`);
