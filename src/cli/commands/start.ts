// `pesquel start`: serves the API (embedded PostgreSQL by default) until Ctrl-C / SIGTERM.
import { resolve } from 'node:path';
import { createLogger } from '../../observability/logger.js';
import { startPesquel } from '../../http/main.js';
import { CliError } from '../cli-error.js';
import { configFlagsHelp, configFrom, parseFlags } from '../flags.js';

export const summary = 'Start the API (embedded PostgreSQL by default, or --db-url)';

const help = `Usage: pesquel start [options]

Starts PeSquel. With no db-uri it runs an embedded PostgreSQL 17 (PGlite) stored in data-dir,
initialised on first start with the bundled init SQL (roles, api schema, api.todos with RLS).

${configFlagsHelp}

Signals: SIGINT/SIGTERM stop cleanly; SIGUSR1 reloads the schema cache.`;

function redact(uri: string): string {
  return uri.replace(/(:\/\/[^:/@]+):[^@]*@/, '$1:***@');
}

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(help);
    return 0;
  }
  const config = configFrom(parseFlags(args));
  const logger = createLogger(config.logLevel);
  for (const warning of config.warnings) logger.warn(warning);
  let running;
  try {
    running = await startPesquel(config, { logger });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') throw new CliError(`port already in use (${e.message.replace(/^listen EADDRINUSE: address already in use /, '')}); set --port or server-port`);
    throw new CliError(e.message);
  }
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
      lines.push(`  Admin login:   password ${running.adminPasswordGenerated}  (generated now and shown only this once; set admin-password to choose your own)`);
    }
  }
  if (running.adminUrl) lines.push(`  Health:        ${running.adminUrl}/ready  (metrics: ${running.adminUrl}/metrics)`);
  if (config.dbUri === null) {
    lines.push(`  Database:      embedded PostgreSQL 17 in ${resolve(config.dataDir)}${running.initialized ? ' (initialised now)' : ''}`);
    lines.push(running.psqlUrl
      ? `  psql:          psql "${running.psqlUrl}"  (loopback only; password in ${resolve(config.dataDir, 'pesquel-psql-password')})`
      : `  psql:          off (set --embedded-psql-port to a free port)`);
  } else {
    lines.push(`  Database:      ${redact(config.dbUri)}${running.initialized ? ' (initialised now)' : ''}`);
    lines.push(`  psql:          psql "${redact(config.dbUri)}"`);
  }
  lines.push('Press Ctrl-C to stop.');
  process.stderr.write(lines.join('\n') + '\n');

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
