// Lays out an ER diagram: one box per table or view (its height from the columns shown), one edge
// per foreign key. Each connected group of tables is laid out on its own and the groups are packed
// in rows, so lone tables do not stretch one huge column. A group of up to fullLayoutLimit tables
// gets dagre's layered layout with routed edges; a larger one (dagre took minutes on 1,000 chained
// tables, 4 s with its fastest ranker) gets a linear-time layering along a breadth-first spanning
// tree, tall layers wrapped into several columns, keys drawn straight. Pure: it runs the same in the
// layout worker and in tests.
import dagre from '@dagrejs/dagre';

export interface ErNode { oid: number; name: string; kind: string; columns: Array<[string, string, boolean]> }
export interface ErEdge { name: string; source: string; targetSchema: string; target: string; columns: string[] }
export interface ErData { schema: string; nodes: ErNode[]; edges: ErEdge[] }

export interface PlacedNode { node: ErNode; x: number; y: number; width: number; height: number }
export interface PlacedEdge { edge: ErEdge; points: Array<{ x: number; y: number }> }
export interface ErLayout { nodes: PlacedNode[]; edges: PlacedEdge[]; width: number; height: number }

/** Columns drawn per box; the rest is summed up as "+ n more". */
export const shownColumns = 8;
export const lineHeight = 16;
export const boxWidth = 220;
/** Groups up to this many tables get dagre's full layout with routed edges. */
export const fullLayoutLimit = 120;
const gap = 40;

export const boxHeight = (n: ErNode) => lineHeight * (1.6 + Math.min(n.columns.length, shownColumns) + (n.columns.length > shownColumns ? 1 : 0)) + 6;

interface Group { nodes: PlacedNode[]; edges: PlacedEdge[]; width: number; height: number }

/** Connected groups of tables (foreign keys taken both ways), largest first. */
function groups(data: ErData, edges: ErEdge[]): ErNode[][] {
  const parent = new Map(data.nodes.map((n) => [n.name, n.name]));
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  for (const e of edges) parent.set(find(e.source), find(e.target));
  const out = new Map<string, ErNode[]>();
  for (const n of data.nodes) {
    const r = find(n.name);
    out.set(r, [...(out.get(r) ?? []), n]);
  }
  return [...out.values()].sort((a, b) => b.length - a.length);
}

/** Edges of a breadth-first spanning tree from the most connected table, parent → child. */
function spanningTree(nodes: ErNode[], edges: ErEdge[]): Array<[string, string]> {
  const adj = new Map<string, string[]>(nodes.map((n) => [n.name, []]));
  for (const e of edges) {
    if (e.source === e.target) continue;
    adj.get(e.source)!.push(e.target);
    adj.get(e.target)!.push(e.source);
  }
  const root = nodes.reduce((a, b) => ((adj.get(b.name)!.length > adj.get(a.name)!.length) ? b : a)).name;
  const seen = new Set([root]);
  const queue = [root];
  const tree: Array<[string, string]> = [];
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i]!;
    for (const w of adj.get(v)!) {
      if (seen.has(w)) continue;
      seen.add(w);
      tree.push([v, w]);
      queue.push(w);
    }
  }
  return tree;
}

/** Where the segment from a box's centre towards (x, y) leaves the box. */
function border(p: PlacedNode, x: number, y: number) {
  const cx = p.x + p.width / 2;
  const cy = p.y + p.height / 2;
  const dx = x - cx;
  const dy = y - cy;
  if (dx === 0 && dy === 0) return { x: cx, y: cy };
  const t = Math.min(dx ? (p.width / 2) / Math.abs(dx) : Infinity, dy ? (p.height / 2) / Math.abs(dy) : Infinity);
  return { x: cx + dx * t, y: cy + dy * t };
}

function straight(a: PlacedNode, b: PlacedNode) {
  return [border(a, b.x + b.width / 2, b.y + b.height / 2), border(b, a.x + a.width / 2, a.y + a.height / 2)];
}

function dagreGroup(nodes: ErNode[], edges: ErEdge[]): Group {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 80, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.name, { width: boxWidth, height: boxHeight(n) });
  edges.forEach((e, i) => g.setEdge(e.source, e.target, {}, `${i}`));
  dagre.layout(g);
  const placed = nodes.map((n) => {
    const p = g.node(n.name);
    return { node: n, x: p.x - boxWidth / 2, y: p.y - p.height / 2, width: boxWidth, height: p.height };
  });
  const lines = edges.map((e, i) => ({
    edge: e, points: (g.edge({ v: e.source, w: e.target, name: `${i}` }).points ?? []).map((p: { x: number; y: number }) => ({ x: p.x, y: p.y })),
  }));
  const graph = g.graph();
  return { nodes: placed, edges: lines, width: graph.width ?? boxWidth, height: graph.height ?? 0 };
}

/** Layers by breadth-first depth, each in the order of its parents; a layer taller than the group is wide wraps. */
function layeredGroup(nodes: ErNode[], edges: ErEdge[]): Group {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const tree = spanningTree(nodes, edges);
  const children = new Map<string, string[]>();
  for (const [v, w] of tree) children.set(v, [...(children.get(v) ?? []), w]);
  const root = tree[0]?.[0] ?? nodes[0]!.name;
  const layers: string[][] = [[root]];
  for (let d = 0; layers[d]!.length > 0; d++) layers.push(layers[d]!.flatMap((v) => children.get(v) ?? []));
  layers.pop();
  const total = nodes.reduce((s, n) => s + boxHeight(n) + 24, 0);
  const maxHeight = Math.max(2000, Math.sqrt(total * (boxWidth + 80)) * 1.2);
  const placed: PlacedNode[] = [];
  let x = 0;
  let height = 0;
  for (const layer of layers) {
    let y = 0;
    for (const name of layer) {
      const n = byName.get(name)!;
      const h = boxHeight(n);
      if (y > 0 && y + h > maxHeight) {
        x += boxWidth + 40;
        y = 0;
      }
      placed.push({ node: n, x, y, width: boxWidth, height: h });
      y += h + 24;
      height = Math.max(height, y);
    }
    x += boxWidth + 80;
  }
  const at = new Map(placed.map((p) => [p.node.name, p]));
  return { nodes: placed, edges: edges.map((e) => ({ edge: e, points: straight(at.get(e.source)!, at.get(e.target)!) })), width: x - 80, height };
}

const layoutGroup = (nodes: ErNode[], edges: ErEdge[]) => (nodes.length <= fullLayoutLimit ? dagreGroup(nodes, edges) : layeredGroup(nodes, edges));

const shift = (grp: Group, dx: number, dy: number): Group => ({
  ...grp,
  nodes: grp.nodes.map((p) => ({ ...p, x: p.x + dx, y: p.y + dy })),
  edges: grp.edges.map((e) => ({ ...e, points: e.points.map((p) => ({ x: p.x + dx, y: p.y + dy })) })),
});

export function layoutEr(data: ErData): ErLayout {
  const names = new Set(data.nodes.map((n) => n.name));
  // Edges to tables of other schemas have no box here: they are left out of the picture.
  const edges = data.edges.filter((e) => e.targetSchema === data.schema && names.has(e.target) && names.has(e.source));
  const edgesOf = new Map<string, ErEdge[]>();
  for (const e of edges) edgesOf.set(e.source, [...(edgesOf.get(e.source) ?? []), e]);
  const laid = groups(data, edges).map((ns) => layoutGroup(ns, ns.flatMap((n) => edgesOf.get(n.name) ?? [])));
  // Rows of groups, about as wide as the whole picture is tall.
  const area = laid.reduce((s, l) => s + (l.width + gap) * (l.height + gap), 0);
  const rowWidth = Math.max(laid[0]?.width ?? 0, Math.sqrt(area) * 1.4);
  const out: Group[] = [];
  let x = gap / 2;
  let y = gap / 2;
  let rowHeight = 0;
  let width = 0;
  for (const l of laid) {
    if (x > gap / 2 && x + l.width > rowWidth) {
      x = gap / 2;
      y += rowHeight + gap;
      rowHeight = 0;
    }
    out.push(shift(l, x, y));
    x += l.width + gap;
    width = Math.max(width, x);
    rowHeight = Math.max(rowHeight, l.height);
  }
  return { nodes: out.flatMap((g) => g.nodes), edges: out.flatMap((g) => g.edges), width: width + gap / 2, height: y + rowHeight + gap / 2 };
}
