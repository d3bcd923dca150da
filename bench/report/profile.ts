// Summarises a V8 CPU profile (node --cpu-prof) into where the time went: self time by function
// and by source file / package, as shares of the busy (non-idle) samples — only the samples taken
// after the server was ready, so start-up (module loading, schema cache) does not blur the
// steady state being measured.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly children?: readonly number[];
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly hitCount?: number;
}

export interface ProfileSummary {
  readonly server: string;
  readonly busySamples: number;
  readonly functions: ReadonlyArray<{ readonly name: string; readonly pct: number }>;
  readonly files: ReadonlyArray<{ readonly name: string; readonly pct: number }>;
  /** Time with a frame of this file or package anywhere on the stack (PeSquel's own files and packages). */
  readonly inclusive: ReadonlyArray<{ readonly name: string; readonly pct: number }>;
}

/** node:internal/… → (node) …; …/node_modules/pkg/… → pkg; the repo's own files relative. */
function place(url: string): string {
  if (url === '') return '(native / V8)';
  if (url.startsWith('node:')) return `(node) ${url.replace(/^node:(internal\/)?/, '')}`;
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm?.[1]) return nm[1];
  return url.replace(/^file:\/\//, '').replace(/^.*?\/(src|dist|bench|test)\//, '$1/');
}

function top(m: Map<string, number>, total: number, n: number) {
  return [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, v]) => ({ name, pct: (100 * v) / total }));
}

interface Profile {
  readonly nodes: ProfileNode[];
  /** Microseconds on the monotonic clock (CLOCK_MONOTONIC, as process.hrtime). */
  readonly startTime: number;
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

/** Samples per node, counting only those taken at or after `fromUs` (monotonic µs). */
function hitsSince(p: Profile, fromUs: number): Map<number, number> {
  const hits = new Map<number, number>();
  if (!p.samples || !p.timeDeltas) {
    for (const node of p.nodes) hits.set(node.id, node.hitCount ?? 0);
    return hits;
  }
  let t = p.startTime;
  p.samples.forEach((id, i) => {
    t += p.timeDeltas?.[i] ?? 0;
    if (t >= fromUs) hits.set(id, (hits.get(id) ?? 0) + 1);
  });
  return hits;
}

/** `fromUs`: when the server became ready, in monotonic microseconds (process.hrtime.bigint() / 1000). */
export function summariseProfile(file: string, server: string, fromUs = 0, n = 20): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const { nodes } = profile;
  const counts = hitsSince(profile, fromUs);
  const byFn = new Map<string, number>();
  const byFile = new Map<string, number>();
  let busy = 0;
  for (const node of nodes) {
    const hits = counts.get(node.id) ?? 0;
    const f = node.callFrame;
    if (hits === 0 || f.functionName === '(idle)') continue;
    busy += hits;
    const where = place(f.url);
    const fn = `${f.functionName || '(anonymous)'} ${f.url ? `${where}:${f.lineNumber + 1}` : ''}`.trim();
    byFn.set(fn, (byFn.get(fn) ?? 0) + hits);
    byFile.set(where, (byFile.get(where) ?? 0) + hits);
  }
  return { server, busySamples: busy, functions: top(byFn, busy || 1, n), files: top(byFile, busy || 1, n), inclusive: top(inclusive(nodes, counts), busy || 1, n) };
}

/** Walks the call tree once, crediting each sample to every distinct src/ file or package on its stack. */
function inclusive(nodes: readonly ProfileNode[], counts: ReadonlyMap<number, number>): Map<string, number> {
  const byId = new Map(nodes.map((x) => [x.id, x]));
  const childIds = new Set(nodes.flatMap((x) => x.children ?? []));
  const out = new Map<string, number>();
  const stack: Array<{ node: ProfileNode; on: ReadonlySet<string> }> = nodes.filter((x) => !childIds.has(x.id)).map((node) => ({ node, on: new Set() }));
  while (stack.length > 0) {
    const { node, on } = stack.pop() as { node: ProfileNode; on: ReadonlySet<string> };
    const where = place(node.callFrame.url);
    const mine = where.startsWith('(') || where.startsWith('wasm') || on.has(where) ? on : new Set([...on, where]);
    const hits = node.callFrame.functionName === '(idle)' ? 0 : counts.get(node.id) ?? 0;
    if (hits > 0) for (const f of mine) out.set(f, (out.get(f) ?? 0) + hits);
    for (const c of node.children ?? []) {
      const child = byId.get(c);
      if (child) stack.push({ node: child, on: mine });
    }
  }
  return out;
}
