// Shared CLI flags for commands that load the configuration: --config, and the configuration
// options a command reads as --<option-name> VALUE (--db-url, --port, --host are shortcuts). Each
// command names the options it reads; its help lists them and any other flag is refused.
import { existsSync, readFileSync } from 'node:fs';
import { loadConfig, type Config } from '../config/config.js';
import { ConfigError } from '../config/config-error.js';
import { optionSpecs, type OptionName, type OptionSpec } from '../config/options.js';
import { CliError } from './cli-error.js';

const shortcuts: Readonly<Record<string, OptionName>> = { 'db-url': 'db-uri', port: 'server-port', host: 'server-host', workers: 'server-workers' };
const shortcutOf = (name: OptionName) => Object.keys(shortcuts).find((s) => shortcuts[s] === name);

/** Every option (pesquel start), or the options a command reads. */
export type Accepted = 'all' | readonly OptionName[];

export interface ParsedFlags {
  readonly options: Record<string, string | boolean>;
  readonly configPath: string | null;
  readonly positionals: string[];
  readonly other: Record<string, string | boolean>;
}

function placeholder(name: string, spec: OptionSpec): string {
  if (typeof spec.type === 'object') return 'VALUE';
  if (spec.type === 'int') return 'N';
  if (spec.type === 'bool') return '[true|false]';
  if (spec.type === 'list') return 'A,B';
  return name.endsWith('-uri') ? 'URI' : name.endsWith('-dir') ? 'DIR' : 'VALUE';
}

function shownDefault(spec: OptionSpec): string {
  const d = spec.default;
  if (d === null || d === '') return '';
  return ` (default: ${Array.isArray(d) ? d.join(',') : String(d)})`;
}

type Row = readonly [flag: string, doc: string];

/** Help rows for the given options, from their documentation in config/options.ts. */
function optionRows(names: readonly OptionName[]): Row[] {
  return names.map((name) => {
    const spec: OptionSpec = optionSpecs[name];
    const short = shortcutOf(name);
    const oneOf = typeof spec.type === 'object' ? ` One of: ${spec.type.enum.join(', ')}.` : '';
    return [`--${short ?? name} ${placeholder(name, spec)}`, `${spec.doc}${oneOf}${shownDefault(spec)}${short ? ` [${name}]` : ''}`];
  });
}

/** Two aligned columns; long docs wrap under their own column (lines of at most 100 characters). */
export function table(rows: readonly Row[]): string {
  const width = Math.max(...rows.map(([f]) => f.length), 20) + 2;
  const room = Math.max(40, 98 - width);
  return rows.map(([flag, doc]) => {
    const lines: string[] = [];
    let line = '';
    for (const word of doc.split(' ')) {
      if (line !== '' && line.length + 1 + word.length > room) {
        lines.push(line);
        line = word;
      } else line = line === '' ? word : `${line} ${word}`;
    }
    lines.push(line);
    return `  ${flag.padEnd(width)}${lines.join(`\n  ${' '.repeat(width)}`)}`;
  }).join('\n');
}

/**
 * The "Configuration:" section of a command's help, generated from the options it reads (`more`:
 * further rows, e.g. that every other option is accepted too).
 */
export function configHelp(names: readonly OptionName[], more: readonly Row[] = []): string {
  const rows: Row[] = [['--config FILE', 'PostgREST-style config file (default: ./pesquel.conf when present)'], ...optionRows(names), ...more];
  return `Configuration:
${table(rows)}
Options may also come from the config file or PESQUEL_<OPTION> (PGRST_<OPTION> accepted;
PESQUEL_<OPTION>_FILE for secrets). Flags win over the file, the file over the environment.`;
}

/**
 * Splits argv into config options (those `accepted`), command switches (`--yes`) and valued
 * command flags (`--dir x` or `--dir=x`), and positionals. Anything else is a CliError (exit 2).
 */
export function parseFlags(args: readonly string[], switches: readonly string[] = [], valued: readonly string[] = [], accepted: Accepted = 'all'): ParsedFlags {
  const commandFlags = [...switches, ...valued];
  const isOption = (name: string): name is OptionName => name in optionSpecs && (accepted === 'all' || accepted.includes(name as OptionName));
  const options: Record<string, string | boolean> = {};
  const other: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  let configPath: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (!a.startsWith('--')) {
      if (a.startsWith('-') && a.length > 1) throw new CliError(`unknown option ${a}`, 2);
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const given = a.slice(2, eq < 0 ? undefined : eq);
    const name = shortcuts[given] ?? given;
    const known = given === 'config' || isOption(name);
    if (!known && !commandFlags.includes(given)) {
      const hint = name in optionSpecs ? ' (this command does not use it)' : '';
      throw new CliError(`unknown option --${given}${hint}`, 2);
    }
    const isBool = known ? (optionSpecs as Record<string, { type: unknown }>)[name]?.type === 'bool' : !valued.includes(given);
    let value: string | boolean;
    if (eq >= 0) value = a.slice(eq + 1);
    else if (isBool && !/^(true|false)$/.test(args[i + 1] ?? '')) value = true;
    else {
      const next = args[i + 1];
      if (next === undefined || next.startsWith('--')) throw new CliError(`--${given} needs a value`, 2);
      value = next;
      i++;
    }
    if (given === 'config') configPath = String(value);
    else if (known) options[name] = value;
    else other[given] = value;
  }
  return { options, configPath, positionals, other };
}

export function configFrom(flags: ParsedFlags, env: NodeJS.ProcessEnv = process.env): Config {
  const path = flags.configPath ?? env.PESQUEL_CONFIG ?? (existsSync('pesquel.conf') ? 'pesquel.conf' : null);
  let file: { path: string; text: string } | null = null;
  if (path !== null) {
    try {
      file = { path, text: readFileSync(path, 'utf8') };
    } catch (err) {
      throw new CliError(`cannot read config file ${path}: ${(err as Error).message}`);
    }
  }
  try {
    return loadConfig({ env, file, flags: flags.options });
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message, 2);
    throw err;
  }
}
