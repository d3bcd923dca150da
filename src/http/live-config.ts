// db-config: the configuration requests run with — the file/env one with the database's pgrst.* values
// on top — read at start and again on NOTIFY pgrst 'reload config' or SIGUSR2. A reload that fails
// (a bad value, a failing db-pre-config, a database away) keeps the configuration in force.
import type { Config } from '../config/config.js';
import { changedOptions, inDbOptions, optionOfSetting, settingName, withInDbValues, type InDbOption } from '../config/overrides.js';
import { ConfigError } from '../config/config-error.js';
import { preRequestStatement } from '../auth/pre-request.js';
import { readInDbSettings } from '../db/in-db-config.js';
import type { Db } from '../db/types.js';
import type { Sql } from '../sql/sql.js';
import type { ConfigOpsEvent } from '../observability/events.js';

/** `postgrest.pre_config` → its call; a malformed name is a ConfigError naming db-pre-config. */
function preConfigCall(name: string | null): Sql | null {
  if (name === null) return null;
  try {
    return preRequestStatement(name);
  } catch {
    throw new ConfigError('db-pre-config', `expected a function name such as postgrest.pre_config, got '${name}'`);
  }
}

/**
 * The configuration `base` becomes with the database's values (base itself when db-config is off).
 * The embedded database reads the settings of the role `authenticator` (a server deployment's
 * db-uri user); a server, those of the user it connects as.
 */
export async function configWithInDb(base: Config, db: Db, preConfig: string | null = base.dbPreConfig): Promise<Config> {
  if (!base.dbConfig) return base;
  const found = await readInDbSettings(db, {
    names: inDbOptions.map(settingName),
    role: db.kind === 'pglite' ? 'authenticator' : null,
    preConfig: preConfigCall(preConfig),
  });
  const values = new Map<InDbOption, string>();
  for (const [name, value] of found) {
    const option = optionOfSetting(name);
    if (option !== undefined) values.set(option, value);
  }
  return withInDbValues(base, values);
}

export class LiveConfig {
  private running: Promise<void> | null = null;
  private again = false;

  /** `apply` puts a changed configuration in force (schema cache, auth, app); if it throws, the old one stays. */
  constructor(
    private readonly base: Config,
    private readonly db: Db,
    public current: Config,
    private readonly apply: (next: Config, previous: Config) => Promise<void>,
    private readonly onEvent: (e: ConfigOpsEvent) => void,
  ) {}

  /** Reads the database's values again; reloads asked for during one run once more after it. */
  reload(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.once();
      } while (this.again);
    })().finally(() => { this.running = null; });
    return this.running;
  }

  private async once(): Promise<void> {
    try {
      const next = await configWithInDb(this.base, this.db, this.current.dbPreConfig);
      const changed = changedOptions(this.current, next);
      if (changed.length > 0) await this.apply(next, this.current);
      if (changed.length > 0) this.current = next;
      this.onEvent({ type: 'config-loaded', changed });
    } catch (err) {
      this.onEvent({ type: 'config-load-failed', message: err instanceof Error ? err.message : String(err) });
    }
  }
}
