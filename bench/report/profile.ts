// Summarises a V8 CPU profile (node --cpu-prof) into where the time went: self time by function
// and by source file / package, as shares of the busy (non-idle) samples.
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
  return url.replace(/^file:\/\//, '').replace(/^.*?\/(src|bench|test)\//, '$1/');
}

function top(m: Map<string, number>, total: number, n: number) {
  return [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, v]) => ({ name, pct: (100 * v) / total }));
}

export function summariseProfile(file: string, server: string, n = 20): ProfileSummary {
  const nodes = (JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[] }).nodes;
  const byFn = new Map<string, number>();
  const byFile = new Map<string, number>();
  let busy = 0;
  for (const node of nodes) {
    const hits = node.hitCount ?? 0;
    const f = node.callFrame;
    if (hits === 0 || f.functionName === '(idle)') continue;
    busy += hits;
    const where = place(f.url);
    const fn = `${f.functionName || '(anonymous)'} ${f.url ? `${where}:${f.lineNumber + 1}` : ''}`.trim();
    byFn.set(fn, (byFn.get(fn) ?? 0) + hits);
    byFile.set(where, (byFile.get(where) ?? 0) + hits);
  }
  return { server, busySamples: busy, functions: top(byFn, busy || 1, n), files: top(byFile, busy || 1, n), inclusive: top(inclusive(nodes), busy || 1, n) };
}

/** Walks the call tree once, crediting each sample to every distinct src/ file or package on its stack. */
function inclusive(nodes: readonly ProfileNode[]): Map<string, number> {
  const byId = new Map(nodes.map((x) => [x.id, x]));
  const childIds = new Set(nodes.flatMap((x) => x.children ?? []));
  const out = new Map<string, number>();
  const stack: Array<{ node: ProfileNode; on: ReadonlySet<string> }> = nodes.filter((x) => !childIds.has(x.id)).map((node) => ({ node, on: new Set() }));
  while (stack.length > 0) {
    const { node, on } = stack.pop() as { node: ProfileNode; on: ReadonlySet<string> };
    const where = place(node.callFrame.url);
    const mine = where.startsWith('(') || where.startsWith('wasm') || on.has(where) ? on : new Set([...on, where]);
    const hits = node.callFrame.functionName === '(idle)' ? 0 : node.hitCount ?? 0;
    if (hits > 0) for (const f of mine) out.set(f, (out.get(f) ?? 0) + hits);
    for (const c of node.children ?? []) {
      const child = byId.get(c);
      if (child) stack.push({ node: child, on: mine });
    }
  }
  return out;
}
