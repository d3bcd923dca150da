// A hand-written SVG chart for people: throughput vs concurrency, and throughput and peak RSS vs
// rows returned (log-scale x axes), one line per server.
import type { RunResult, SuiteResult } from '../suite.js';

interface Series {
  readonly label: string;
  readonly color: string;
  readonly dashed: boolean;
  readonly points: ReadonlyArray<readonly [number, number]>;
}

interface Panel {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
}

const W = 420;
const H = 300;
const M = { l: 60, r: 28, t: 30, b: 45 };
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

const LINES = [
  { target: 'pesquel', backend: 'direct', label: 'PeSquel → PostgreSQL', color: '#1f6feb', dashed: false },
  { target: 'pesquel', backend: 'pgbouncer', label: 'PeSquel → pgBouncer', color: '#1f6feb', dashed: true },
  { target: 'b1', backend: 'direct', label: 'b1 one round trip', color: '#2da44e', dashed: false },
  { target: 'b2', backend: 'direct', label: 'b2 round trip per statement', color: '#bf8700', dashed: false },
  { target: 'pesquel', backend: 'embedded', label: 'PeSquel embedded', color: '#cf222e', dashed: false },
  { target: 'b4', backend: 'embedded', label: 'b4 PGlite minimal', color: '#cf222e', dashed: true },
] as const;

function series(results: readonly RunResult[], x: (r: RunResult) => number, y: (r: RunResult) => number | null): Series[] {
  return LINES.map((l) => ({
    label: l.label, color: l.color, dashed: l.dashed,
    points: results.filter((r) => r.target === l.target && r.backend === l.backend && r.requests > 0)
      .map((r) => [x(r), y(r)] as const).filter((p): p is readonly [number, number] => p[1] !== null).sort((a, b) => a[0] - b[0]),
  })).filter((s) => s.points.length > 0);
}

function panel(p: Panel, ox: number): string {
  const pts = p.series.flatMap((s) => s.points);
  const head = `<g transform="translate(${ox},0)"><text x="${W / 2}" y="18" text-anchor="middle" font-weight="bold">${esc(p.title)}</text>`;
  if (pts.length === 0) return `${head}<text x="${W / 2}" y="${H / 2}" text-anchor="middle" fill="#888">not measured in this mode</text></g>`;
  const xs = pts.map((q) => Math.log10(q[0]));
  const [x0, x1] = [Math.min(...xs), Math.max(...xs) === Math.min(...xs) ? Math.min(...xs) + 1 : Math.max(...xs)];
  const yMax = Math.max(...pts.map((q) => q[1])) * 1.1 || 1;
  const px = (x: number) => M.l + ((Math.log10(x) - x0) / (x1 - x0)) * (W - M.l - M.r);
  const py = (y: number) => H - M.b - (y / yMax) * (H - M.t - M.b);
  const out = [head];
  out.push(`<line x1="${M.l}" y1="${H - M.b}" x2="${W - M.r}" y2="${H - M.b}" stroke="#333"/><line x1="${M.l}" y1="${M.t}" x2="${M.l}" y2="${H - M.b}" stroke="#333"/>`);
  for (const x of [...new Set(pts.map((q) => q[0]))]) {
    out.push(`<text x="${px(x).toFixed(1)}" y="${H - M.b + 15}" text-anchor="middle" font-size="10">${x}</text>`);
  }
  for (let i = 0; i <= 4; i++) {
    const y = (yMax / 4) * i;
    out.push(`<text x="${M.l - 5}" y="${(py(y) + 3).toFixed(1)}" text-anchor="end" font-size="10">${y >= 100 ? y.toFixed(0) : y.toFixed(1)}</text>`);
    out.push(`<line x1="${M.l}" y1="${py(y).toFixed(1)}" x2="${W - M.r}" y2="${py(y).toFixed(1)}" stroke="#eee"/>`);
  }
  out.push(`<text x="${W / 2}" y="${H - 8}" text-anchor="middle" font-size="11">${esc(p.xLabel)}</text>`);
  out.push(`<text transform="translate(14,${H / 2}) rotate(-90)" text-anchor="middle" font-size="11">${esc(p.yLabel)}</text>`);
  for (const s of p.series) {
    const d = s.points.map((q) => `${px(q[0]).toFixed(1)},${py(q[1]).toFixed(1)}`).join(' ');
    out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''} points="${d}"/>`);
    for (const q of s.points) out.push(`<circle cx="${px(q[0]).toFixed(1)}" cy="${py(q[1]).toFixed(1)}" r="2.5" fill="${s.color}"/>`);
  }
  return out.join('\n') + '</g>';
}

export function renderChart(suite: SuiteResult): string {
  const conc = suite.results.filter((r) => r.section === 'concurrency');
  const scen = conc.some((r) => r.scenario === 'get-10') ? 'get-10' : conc[0]?.scenario ?? '';
  const rows = suite.results.filter((r) => r.section === 'rows');
  const nRows = (r: RunResult) => Number(r.scenario.replace('rows-', ''));
  const panels: Panel[] = [
    { title: `Throughput vs connections (${scen})`, xLabel: 'concurrent connections', yLabel: 'req/s',
      series: series(conc.filter((r) => r.scenario === scen), (r) => r.connections, (r) => r.rps) },
    { title: 'Throughput vs rows returned', xLabel: 'rows per response', yLabel: 'req/s', series: series(rows, nRows, (r) => r.rps) },
    { title: 'Peak RSS vs rows returned', xLabel: 'rows per response', yLabel: 'peak RSS (MB)', series: series(rows, nRows, (r) => r.peakRssMb) },
  ];
  const legend = LINES.map((l, i) =>
    `<g transform="translate(${20 + (i % 3) * 300},${H + 12 + Math.floor(i / 3) * 18})"><line x1="0" y1="0" x2="24" y2="0" stroke="${l.color}" stroke-width="2"${l.dashed ? ' stroke-dasharray="6 4"' : ''}/><text x="30" y="4" font-size="11">${esc(l.label)}</text></g>`);
  const width = W * panels.length;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${H + 55}" viewBox="0 0 ${width} ${H + 55}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
${panels.map((p, i) => panel(p, i * W)).join('\n')}
${legend.join('\n')}
<text x="${width - 10}" y="${H + 50}" text-anchor="end" font-size="10" fill="#666">PeSquel bench, ${esc(suite.mode)} run ${esc(suite.startedAt)}</text>
</svg>
`;
}
