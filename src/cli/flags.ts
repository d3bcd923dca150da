// Shared CLI flags for commands that load the configuration: --config, --db-url, --data-dir,
// --port and any option as --<option-name>=value.
import { existsSync, readFileSync } from 'node:fs';
import { loadConfig, type Config } from '../config/config.js';
import { ConfigError } from '../config/config-error.js';
import { optionSpecs } from '../config/options.js';
import { CliError } from './cli-error.js';

export const configFlagsHelp = `Configuration:
  --config FILE        PostgREST-style config file (default: ./pesquel.conf when present)
  --db-url URI         PostgreSQL URI (default: the embedded database)
  --data-dir DIR       Embedded database directory (default: .pesquel/data)
  --port N             API port (default: 3000)
  --host ADDR          API address (default: 127.0.0.1)
  --<option> VALUE     Any option by its PostgREST name, e.g. --db-schemas api,public
Environment: PESQUEL_<OPTION> (PGRST_<OPTION> accepted), PESQUEL_<OPTION>_FILE for secrets.`;

const shortcuts: Record<string, string> = { 'db-url': 'db-uri', port: 'server-port', host: 'server-host' };

export interface ParsedFlags {
  readonly options: Record<string, string | boolean>;
  readonly configPath: string | null;
  readonly positionals: string[];
  readonly other: Record<string, string | boolean>;
}

/**
 * Splits argv into config options (known option names) and command-specific flags: `switches`
 * stand alone (`--yes`), `valued` take a value (`--dir x` or `--dir=x`).
 */
export function parseFlags(args: readonly string[], switches: readonly string[] = [], valued: readonly string[] = []): ParsedFlags {
  const commandFlags = [...switches, ...valued];
  const options: Record<string, string | boolean> = {};
  const other: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  let configPath: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (!a.startsWith('--')) {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    const known = name === 'config' || name in shortcuts || name in optionSpecs;
    const isBool = !known && commandFlags.includes(name) ? !valued.includes(name) : (optionSpecs as Record<string, { type: unknown }>)[name]?.type === 'bool';
    let value: string | boolean;
    if (eq >= 0) value = a.slice(eq + 1);
    else if (isBool && (args[i + 1] === undefined || args[i + 1]?.startsWith('--') || !/^(true|false)$/.test(args[i + 1] ?? ''))) value = true;
    else {
      const next = args[i + 1];
      if (next === undefined) throw new CliError(`--${name} needs a value`, 2);
      value = next;
      i++;
    }
    if (name === 'config') configPath = String(value);
    else if (known) options[shortcuts[name] ?? name] = value;
    else if (commandFlags.includes(name)) other[name] = value;
    else throw new CliError(`unknown option --${name}`, 2);
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
