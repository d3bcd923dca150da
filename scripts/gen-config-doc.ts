// Writes docs/configuration.md from src/config/options.ts (run: npx tsx scripts/gen-config-doc.ts).
import { writeFileSync } from 'node:fs';
import { optionAliases, optionSpecs, type OptionSpec } from '../src/config/options.js';

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
`;

writeFileSync(new URL('../docs/configuration.md', import.meta.url), text);
console.log(`docs/configuration.md: ${rows.length} options`);
