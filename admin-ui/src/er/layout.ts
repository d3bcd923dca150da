// Lays out an ER diagram with dagre: one box per table or view (its height from the columns shown),
// one edge per foreign key. Pure, so it runs the same in the layout worker and in tests.
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

export const boxHeight = (n: ErNode) => lineHeight * (1.6 + Math.min(n.columns.length, shownColumns) + (n.columns.length > shownColumns ? 1 : 0)) + 6;

export function layoutEr(data: ErData): ErLayout {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 80, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  const byName = new Map(data.nodes.map((n) => [n.name, n]));
  for (const n of data.nodes) g.setNode(n.name, { width: boxWidth, height: boxHeight(n) });
  // Edges to tables of other schemas have no box here: they are left out of the picture.
  const edges = data.edges.filter((e) => e.targetSchema === data.schema && byName.has(e.target) && byName.has(e.source));
  edges.forEach((e, i) => g.setEdge(e.source, e.target, {}, `${i}`));
  dagre.layout(g);
  const nodes = data.nodes.map((n) => {
    const p = g.node(n.name);
    return { node: n, x: p.x - boxWidth / 2, y: p.y - p.height / 2, width: boxWidth, height: p.height };
  });
  const placed = edges.map((e, i) => ({ edge: e, points: (g.edge({ v: e.source, w: e.target, name: `${i}` }).points ?? []).map((p: { x: number; y: number }) => ({ x: p.x, y: p.y })) }));
  const graph = g.graph();
  return { nodes, edges: placed, width: graph.width ?? 0, height: graph.height ?? 0 };
}
