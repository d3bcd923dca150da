// `pesquel status`: asks a running PeSquel's admin server whether it is live and ready.
import type { OptionName } from '../../config/options.js';
import { configHelp, configFrom, parseFlags } from '../flags.js';

export const summary = 'Show whether PeSquel is running and ready';

const options: OptionName[] = ['admin-server-host', 'admin-server-port', 'server-host'];

export const help = `Usage: pesquel status [options]

Asks the admin server of a running PeSquel (GET /ready on admin-server-port) whether it is ready.
Exits 0 when ready, 1 when not running or not ready.

${configHelp(options)}`;

export async function run(args: string[]): Promise<number> {
  const config = configFrom(parseFlags(args, [], [], options));
  const host = config.adminServerHost === '0.0.0.0' ? '127.0.0.1' : config.adminServerHost;
  const base = `http://${host}:${config.adminServerPort}`;
  try {
    const ready = await fetch(`${base}/ready`, { signal: AbortSignal.timeout(3000) });
    console.log(ready.ok ? `PeSquel is ready (${base})` : `PeSquel is running but not ready (HTTP ${ready.status})`);
    return ready.ok ? 0 : 1;
  } catch {
    console.log(`PeSquel is not running at ${base}`);
    return 1;
  }
}
