// The ER diagram as SVG: boxes with the table name and its first columns (key columns marked),
// foreign keys as paths with an arrow (edges to other schemas are counted, not drawn). Colours and fonts are attributes, not CSS, so the exported
// file looks the same on its own.
import { useMemo } from 'preact/hooks';
import type { ErLayout, PlacedNode } from './layout';
import { lineHeight, shownColumns } from './layout';

const font = 'system-ui, sans-serif';

function Box({ p }: { p: PlacedNode }) {
  const n = p.node;
  const view = n.kind !== 'r' && n.kind !== 'p';
  return (
    <a href={`#/browse/rel/${n.oid}`} class="er-node" data-name={n.name}>
      <rect x={p.x} y={p.y} width={p.width} height={p.height} rx="4" fill="#ffffff" stroke={view ? '#7c6fb0' : '#4a6fa5'} stroke-dasharray={view ? '4 2' : undefined} />
      <rect x={p.x} y={p.y} width={p.width} height={lineHeight * 1.5} rx="4" fill={view ? '#ece8f7' : '#e3ecf7'} />
      <text x={p.x + 8} y={p.y + lineHeight * 1.1} font-family={font} font-size="12" font-weight="bold" fill="#1d2b3a">{n.name}{view ? ' (view)' : ''}</text>
      {n.columns.slice(0, shownColumns).map(([name, type, key], i) => (
        <text key={name} x={p.x + 8} y={p.y + lineHeight * (2.5 + i)} font-family={font} font-size="11" fill="#333">
          {key && <tspan fill="#b5651d" font-weight="bold">PK </tspan>}{name} <tspan fill="#888">{type}</tspan>
        </text>
      ))}
      {n.columns.length > shownColumns && (
        <text x={p.x + 8} y={p.y + lineHeight * (2.5 + shownColumns)} font-family={font} font-size="11" fill="#888">+ {n.columns.length - shownColumns} more</text>
      )}
    </a>
  );
}

export function ErSvg({ layout, transform }: { layout: ErLayout; transform: string }) {
  // The same element while the layout stays: panning and zooming change one attribute, not 1,000 boxes.
  const content = useMemo(() => <Content layout={layout} />, [layout]);
  return <g transform={transform}>{content}</g>;
}

function Content({ layout }: { layout: ErLayout }) {
  return (
    <>
      <defs>
        <marker id="er-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" fill="#6b7c8f" />
        </marker>
      </defs>
      {layout.edges.map((e, i) => (
        <path key={i} class="er-edge" data-fk={e.edge.name} fill="none" stroke="#6b7c8f" stroke-width="1.2" marker-end="url(#er-arrow)"
          d={e.points.map((p, j) => `${j ? 'L' : 'M'} ${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(' ')}>
          <title>{`${e.edge.name}: ${e.edge.source} (${e.edge.columns.join(', ')}) → ${e.edge.target}`}</title>
        </path>
      ))}
      {layout.nodes.map((p) => <Box key={p.node.oid} p={p} />)}
    </>
  );
}
