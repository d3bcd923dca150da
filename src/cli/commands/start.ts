// `pesquel start`: serves the API (embedded PostgreSQL by default) until Ctrl-C / SIGTERM.
import { resolve } from 'node:path';
import type { OptionName } from '../../config/options.js';
import type { Config } from '../../config/config.js';
import { createLogger } from '../../observability/logger.js';
import { startPesquel, type Running } from '../../http/main.js';
import { CliError } from '../cli-error.js';
import { configHelp, configFrom, parseFlags } from '../flags.js';
import { explainStartError } from '../start-errors.js';
import { redactUri, withoutPassword } from '../redact.js';

export const summary = 'Start the API (embedded PostgreSQL by default, or --db-url)';

const options: OptionName[] = [
  'db-uri', 'data-dir', 'server-host', 'server-port', 'admin-server-host', 'admin-server-port', 'admin-ui-port',
  'embedded-psql-port', 'admin-password', 'db-schemas', 'jwt-secret', 'log-level',
];

export const help = `Usage: pesquel start [options]

Starts PeSquel. With no db-uri it runs an embedded PostgreSQL 17 (PGlite) stored in data-dir,
initialised on first start with the bundled init SQL (roles, api schema, api.todos with RLS).
Every port is checked before the database opens: a busy one stops the start at once.

${configHelp(options, [['--<option> VALUE', 'Any other option of docs/configuration.md by its name, e.g. --db-max-rows 1000']])}

Signals: SIGINT/SIGTERM stop cleanly; SIGUSR1 reloads the schema cache.`;

function banner(config: Config, running: Running): string[] {
  const port = new URL(running.apiUrl).port;
  const lines = [
    `PeSquel is running.`,
    `  API:           ${running.apiUrl}/  (also http://api.pesquel.localhost:${port}/)`,
    `  Try:           curl ${running.apiUrl}/todos`,
  ];
  if (running.adminUiUrl) {
    const uiPort = new URL(running.adminUiUrl).port;
    lines.push(`  Admin UI:      ${running.adminUiUrl}/  (also http://admin.pesquel.localhost:${uiPort}/)`);
    if (running.adminPasswordGenerated) {
      lines.push(`  Admin login:   password ${running.adminPasswordGenerated}  (generated now and shown only this once; lost it? pesquel admin reset-password)`);
    }
  }
  if (running.adminUrl) lines.push(`  Health:        ${running.adminUrl}/ready  (metrics: ${running.adminUrl}/metrics)`);
  if (config.dbUri === null) {
    lines.push(`  Database:      embedded PostgreSQL 17 in ${resolve(config.dataDir)}${running.initialized ? ' (initialised now)' : ''}`);
    // The password stays in its file: the banner ends up in terminals' scrollback and CI logs.
    lines.push(running.psql
      ? `  psql:          PGPASSWORD="$(cat ${running.psql.passwordFile})" psql "${running.psql.url}"  (loopback only)`
      : `  psql:          off (set --embedded-psql-port to a free port)`);
  } else {
    lines.push(`  Database:      ${redactUri(config.dbUri)}${running.initialized ? ' (initialised now)' : ''}`);
    lines.push(`  psql:          psql "${withoutPassword(config.dbUri)}"`);
  }
  lines.push('Press Ctrl-C to stop.');
  return lines;
}

export async function run(args: string[]): Promise<number> {
  const config = configFrom(parseFlags(args));
  const logger = createLogger(config.logLevel);
  // PGRST_*/PESQUEL_* variables that name no option (typos, PostgREST options PeSquel lacks).
  for (const warning of config.warnings) logger.warn(warning);
  let running: Running;
  try {
    running = await startPesquel(config, { logger });
  } catch (err) {
    throw new CliError(explainStartError(err, config));
  }
  process.stderr.write(banner(config, running).join('\n') + '\n');
  // Stored only now that it has been shown: a start that failed earlier leaves no unseen password.
  await running.keepAdminPassword().catch((err: unknown) => {
    process.stderr.write(`warning: the generated admin password could not be stored (${(err as Error).message}); it works until this server stops\n`);
  });

  return new Promise<number>((resolveExit) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping: finishing in-flight requests');
      running.close().then(
        () => { logger.info('stopped'); resolveExit(0); },
        (err) => { logger.error({ err }, 'error while stopping'); resolveExit(1); },
      );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGUSR1', () => {
      logger.info('SIGUSR1: reloading the schema cache');
      void running.reloadSchema();
    });
  });
}
