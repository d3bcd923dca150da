// `pesquel start`: serves the API (embedded PostgreSQL by default) until Ctrl-C / SIGTERM; with
// --workers N, as a primary process supervising N API workers (src/http/workers/).
import cluster from 'node:cluster';
import { resolve } from 'node:path';
import type { OptionName } from '../../config/options.js';
import type { Config } from '../../config/config.js';
import { createLogger } from '../../observability/logger.js';
import { startPesquel, type Running } from '../../http/main.js';
import { CliError } from '../cli-error.js';
import { configHelp, configFrom, parseFlags } from '../flags.js';
import { explainStartError } from '../start-errors.js';
import { redactUri, withoutPassword } from '../redact.js';
import { ConfigError } from '../../config/config-error.js';
import { workerCount } from '../../http/workers/count.js';
import { slotVariable } from '../../http/workers/messages.js';
import { startWorkers, WorkerStartError, type Supervisor } from '../../http/workers/primary.js';
import { runWorker } from '../../http/workers/worker.js';
import { exitOnConnectionLoss } from '../../http/recovery.js';
import type { Logger } from '../../observability/logger.js';

export const summary = 'Start the API (embedded PostgreSQL by default, or --db-url)';

const options: OptionName[] = [
  'db-uri', 'data-dir', 'server-host', 'server-port', 'server-workers', 'admin-server-host', 'admin-server-port', 'admin-ui-port',
  'embedded-psql-port', 'admin-password', 'db-schemas', 'jwt-secret', 'log-level',
];

export const help = `Usage: pesquel start [options]

Starts PeSquel. With no db-uri it runs an embedded PostgreSQL 17 (PGlite) stored in data-dir,
initialised on first start with the bundled init SQL (roles, api schema, api.todos with RLS).
Every port is checked before the database opens: a busy one stops the start at once.

${configHelp(options, [['--<option> VALUE', 'Any other option of docs/configuration.md by its name, e.g. --db-max-rows 1000']])}

Signals: SIGINT/SIGTERM stop cleanly (in-flight requests finish); SIGUSR1 reloads the schema cache,
SIGUSR2 the in-database configuration (of every worker, sent to the primary process).`;

/** What the banner shows: a Running server, or the primary of several workers. */
type Started = Pick<Running, 'apiUrl' | 'adminUrl' | 'adminUiUrl' | 'adminPasswordGenerated' | 'psql' | 'initialized'> & { readonly workers?: number };

function banner(config: Config, running: Started): string[] {
  const port = new URL(running.apiUrl).port;
  const socket = config.serverUnixSocket;
  const lines = socket === null ? [
    `PeSquel is running.`,
    `  API:           ${running.apiUrl}/  (also http://api.pesquel.localhost:${port}/)`,
    `  Try:           curl ${running.apiUrl}/todos`,
  ] : [
    `PeSquel is running.`,
    `  API:           Unix socket ${socket}  (server-unix-socket; no TCP port)`,
    `  Try:           curl --unix-socket ${socket} http://localhost/todos`,
  ];
  if (running.adminUiUrl) {
    const uiPort = new URL(running.adminUiUrl).port;
    lines.push(`  Admin UI:      ${running.adminUiUrl}/  (also http://admin.pesquel.localhost:${uiPort}/)`);
    if (running.adminPasswordGenerated) {
      lines.push(`  Admin login:   password ${running.adminPasswordGenerated}  (generated now and shown only this once; lost it? pesquel admin reset-password)`);
    }
  }
  if (running.adminUrl) lines.push(`  Health:        ${running.adminUrl}/ready  (metrics: ${running.adminUrl}/metrics)`);
  if (running.workers !== undefined) lines.push(`  Workers:       ${running.workers} processes sharing the ports, each with up to ${config.dbPool} connections (db-pool)`);
  if (config.dbUri === null) {
    lines.push(`  Database:      embedded PostgreSQL 17 in ${resolve(config.dataDir)}${running.initialized ? ' (initialised now)' : ''}`);
    // The password stays in its file: the banner ends up in terminals' scrollback and CI logs.
    lines.push(running.psql
      ? `  psql:          PGPASSWORD="$(cat ${running.psql.passwordFile})" psql "${running.psql.url}"  (loopback only)`
      : `  psql:          off (set --embedded-psql-port to a free port)`);
  } else {
    lines.push(`  Database:      ${redactUri(config.dbUri)}${running.initialized ? ' (initialised now)' : ''}`);
    lines.push(`  psql:          psql "${withoutPassword(config.dbUri)}"`);
    const replicas = config.dbReplicaUris ?? [];
    if (replicas.length > 0) lines.push(`  Replicas:      ${replicas.map(redactUri).join(', ')}  (GET reads; Prefer: read=primary for the primary)`);
  }
  lines.push('Press Ctrl-C to stop.');
  return lines;
}

export async function run(args: string[]): Promise<number> {
  // A worker's slot comes from its primary, not from the user: taken before the config is read.
  const slot = cluster.isWorker ? Number(process.env[slotVariable]) : 0;
  delete process.env[slotVariable];
  const config = configFrom(parseFlags(args));
  const logger = createLogger(config.logLevel);
  if (slot > 0) {
    const log = logger.child({ worker: slot });
    try {
      return await runWorker(config, log, slot);
    } catch (err) {
      throw new CliError(explainStartError(err, config));
    } finally {
      // The IPC channel would keep this process alive after its servers and pool have closed. The
      // cluster's own disconnect: a bare one counts as "primary gone" and exits 0 at once.
      if (cluster.worker?.isConnected()) cluster.worker.disconnect();
    }
  }
  // PGRST_*/PESQUEL_* variables that name no option (typos, PostgREST options PeSquel lacks).
  for (const warning of config.warnings) logger.warn(warning);
  let workers: number;
  try {
    workers = workerCount(config);
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message, 2);
    throw err;
  }
  if (workers > 1) return runPrimary(config, logger, workers);
  let running: Running;
  // db-pool-automatic-recovery = false: a lost database connection ends the process with status 1.
  const loss = config.dbPoolAutomaticRecovery ? null : exitOnConnectionLoss(logger);
  try {
    running = await startPesquel(config, { logger, onConnectionLost: loss?.onConnectionLost });
  } catch (err) {
    throw new CliError(explainStartError(err, config));
  }
  loss?.attach(running);
  // Signals are handled from the moment the server runs: the banner is what tells a supervisor
  // (or a test) that it may send SIGTERM, and the admin password is stored after it.
  const exit = new Promise<number>((resolveExit) => {
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
    process.on('SIGUSR2', () => {
      logger.info('SIGUSR2: reloading the configuration (db-config)');
      void running.reloadConfig();
    });
  });
  process.stderr.write(banner(config, running).join('\n') + '\n');
  // Stored only now that it has been shown: a start that failed earlier leaves no unseen password.
  await running.keepAdminPassword().catch((err: unknown) => {
    process.stderr.write(`warning: the generated admin password could not be stored (${(err as Error).message}); it works until this server stops\n`);
  });
  if (loss === null) return exit;
  return Promise.race([exit, loss.exited.then((code) => {
    // Nothing may keep a process that lost its database alive (its supervisor restarts it).
    setTimeout(() => process.exit(code), 5000).unref();
    return code;
  })]);
}

/** `pesquel start --workers N` (N > 1): the primary process, until SIGINT/SIGTERM. */
async function runPrimary(config: Config, logger: Logger, workers: number): Promise<number> {
  // Installed first: a SIGTERM while the workers start stops them once they have, not as orphans.
  let signalled: string | null = null;
  let onSignal = (signal: string) => { signalled = signal; };
  process.once('SIGINT', () => onSignal('SIGINT'));
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  let supervisor: Supervisor;
  try {
    supervisor = await startWorkers(config, logger, workers);
  } catch (err) {
    throw new CliError(err instanceof WorkerStartError ? err.message : explainStartError(err, config));
  }
  if (signalled === null) process.stderr.write(banner(config, { ...supervisor, psql: null, initialized: false }).join('\n') + '\n');
  return new Promise<number>((resolveExit) => {
    onSignal = (signal: string) => {
      logger.info({ signal }, `stopping: ${workers} workers finish their in-flight requests`);
      void supervisor.stop().then((code) => { logger.info('stopped'); resolveExit(code); });
    };
    if (signalled !== null) onSignal(signalled);
    process.on('SIGUSR1', () => {
      logger.info({ workers }, 'SIGUSR1: reloading the schema cache of every worker');
      supervisor.reload();
    });
    process.on('SIGUSR2', () => {
      logger.info({ workers }, 'SIGUSR2: reloading the configuration (db-config) of every worker');
      supervisor.reloadConfig();
    });
  });
}
