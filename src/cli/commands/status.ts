// `pesquel status`: asks a running PeSquel's admin server whether it is live and ready.
import { configFrom, parseFlags } from '../flags.js';

export const summary = 'Show whether PeSquel is running and ready';

export async function run(args: string[]): Promise<number> {
  const config = configFrom(parseFlags(args));
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
