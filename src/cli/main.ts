// The `pesquel` command line: parses the sub-command and hands over to its module.
// Each command lives in src/cli/commands/<name>.ts and exports `run(args): Promise<number>` and
// its `help` (printed here for --help / -h, before any option is read).
import { CliError } from './cli-error.js';

type CommandModule = { run(args: string[]): Promise<number>; summary: string; help?: string };

const commands: Record<string, () => Promise<CommandModule>> = {
  start: () => import('./commands/start.js'),
  init: () => import('./commands/init.js'),
  setup: () => import('./commands/setup.js'),
  teardown: () => import('./commands/teardown.js'),
  status: () => import('./commands/status.js'),
  migrate: () => import('./commands/migrate.js'),
  backup: () => import('./commands/backup.js'),
  restore: () => import('./commands/restore.js'),
  admin: () => import('./commands/admin.js'),
  ci: () => import('./commands/ci.js'),
};

const usage = `Usage: pesquel <command> [options]

Commands:
  start      Start the API (embedded PostgreSQL by default, or --db-url)
  init       Apply PeSquel's init SQL to a database
  setup      Create secrets and start the Docker Compose stack
  teardown   Stop the Docker Compose stack (optionally delete data)
  migrate    Apply, create or inspect SQL migrations
  backup     Write a backup of the database
  restore    Restore a backup
  status     Show what is running
  admin      Admin UI tasks: reset-password (prints a new admin password)
  ci         Write a CI/CD pipeline: ci init github|gitlab

Run 'pesquel <command> --help' for the options of a command.`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage);
    return 0;
  }
  if (name === '--version' || name === '-v') {
    const { version } = await import('../version.js');
    console.log(version);
    return 0;
  }
  const load = commands[name];
  if (!load) {
    console.error(`pesquel: unknown command '${name}'. Run 'pesquel --help' for the list.`);
    return 2;
  }
  try {
    const mod = await load();
    if (mod.help !== undefined && (rest.includes('--help') || rest.includes('-h'))) {
      console.log(mod.help);
      return 0;
    }
    return await mod.run(rest);
  } catch (err) {
    if (err instanceof CliError) {
      console.error(`pesquel ${name}: ${err.message}`);
      return err.exitCode;
    }
    throw err;
  }
}
