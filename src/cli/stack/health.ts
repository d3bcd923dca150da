// Reads `docker compose ps --format json` (a JSON array before Compose 2.21, one object per line
// since) and waits until every container of the expected services runs and reports healthy.
import { CliError } from '../cli-error.js';
import { PROJECT } from './compose.js';

export type ServiceState = { service: string; state: string; health: string };

function toState(raw: unknown): ServiceState | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  if (typeof r.Service !== 'string') return undefined;
  return {
    service: r.Service,
    state: typeof r.State === 'string' ? r.State.toLowerCase() : '',
    health: typeof r.Health === 'string' ? r.Health.toLowerCase() : '',
  };
}

export function parsePs(text: string): ServiceState[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const values: unknown[] = trimmed.startsWith('[')
    ? (JSON.parse(trimmed) as unknown[])
    : trimmed.split(/\r?\n/).filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown);
  return values.map(toState).filter((s): s is ServiceState => s !== undefined);
}

export function isReady(s: ServiceState): boolean {
  return s.state === 'running' && (s.health === 'healthy' || s.health === '');
}

/** A scaled service (--api-instances, --pg-replicas) is ready when every one of its containers is. */
export function serviceReady(states: readonly ServiceState[], service: string): boolean {
  const mine = states.filter((s) => s.service === service);
  return mine.length > 0 && mine.every(isReady);
}

function describe(service: string, states: readonly ServiceState[]): string {
  const s = states.find((x) => x.service === service && !isReady(x)) ?? states.find((x) => x.service === service);
  if (!s) return `${service} (not created)`;
  return `${service} (${s.health !== '' && s.state === 'running' ? s.health : s.state})`;
}

export type WaitOptions = { timeoutMs: number; intervalMs: number; sleep?: (ms: number) => Promise<void> };

/** Polls `list` until every expected service is ready; fails at once when one has exited. */
export async function waitHealthy(
  list: () => Promise<ServiceState[]>,
  expected: readonly string[],
  opts: WaitOptions,
): Promise<void> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const states = await list();
    const pending = expected.filter((name) => !serviceReady(states, name));
    if (pending.length === 0) return;
    const dead = pending.filter((name) => states.some((s) => s.service === name && (s.state === 'exited' || s.state === 'dead')));
    const first = dead[0] ?? pending[0] ?? '';
    if (dead.length > 0 || Date.now() >= deadline) {
      const what = dead.length > 0 ? 'stopped' : `not healthy after ${Math.round(opts.timeoutMs / 1000)} s`;
      const list = (dead.length > 0 ? dead : pending).map((n) => describe(n, states)).join(', ');
      throw new CliError(`${what}: ${list}. See \`docker compose -p ${PROJECT} logs ${first}\`.`);
    }
    await sleep(opts.intervalMs);
  }
}
