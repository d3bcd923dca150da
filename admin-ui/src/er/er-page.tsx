// The ER diagram of a schema (#/er/<schema>): tables, views and foreign keys laid out by dagre in a
// worker, drawn as SVG with wheel zoom and drag to pan; a box links to the table in the browser,
// and the picture downloads as an SVG file.
import { useEffect, useRef, useState } from 'preact/hooks';
import { get, q } from '../api';
import { ErrorBox, errorOf } from '../ui/widgets';
import type { ErData, ErLayout } from './layout';
import { ErSvg } from './er-svg';

interface View { x: number; y: number; k: number }

const schemaOf = (fallback: string) => decodeURIComponent(location.hash.split('/')[2] ?? '') || fallback;

function layoutInWorker(data: ErData): Promise<ErLayout> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('./layout-worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (e: MessageEvent<{ ok: boolean; layout?: ErLayout; message?: string }>) => {
      w.terminate();
      if (e.data.ok && e.data.layout) resolve(e.data.layout);
      else reject(new Error(e.data.message ?? 'layout failed'));
    };
    w.onerror = (e) => { w.terminate(); reject(new Error(e.message || 'layout worker failed')); };
    w.postMessage(data);
  });
}

/** The diagram as a stand-alone SVG file: the whole layout, no pan or zoom. */
function svgFile(svg: SVGSVGElement, layout: ErLayout): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('viewBox', `0 0 ${Math.ceil(layout.width)} ${Math.ceil(layout.height)}`);
  copy.setAttribute('width', String(Math.ceil(layout.width)));
  copy.setAttribute('height', String(Math.ceil(layout.height)));
  copy.removeAttribute('class');
  copy.querySelector('g')?.removeAttribute('transform');
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(copy);
}

export function ErPage({ defaultSchema }: { defaultSchema: string }) {
  const [schema, setSchema] = useState(schemaOf(defaultSchema));
  const [schemas, setSchemas] = useState<string[]>([]);
  const [data, setData] = useState<ErData | null>(null);
  const [layout, setLayout] = useState<ErLayout | null>(null);
  const [view, setView] = useState<View>({ x: 0, y: 0, k: 1 });
  const [error, setError] = useState<unknown>(null);
  const svg = useRef<SVGSVGElement>(null);
  const drag = useRef<{ x: number; y: number; moved: boolean } | null>(null);

  useEffect(() => {
    const onHash = () => setSchema(schemaOf(defaultSchema));
    addEventListener('hashchange', onHash);
    void get<Array<{ name: string }>>('/api/catalog/schemas').then((s) => setSchemas(s.map((x) => x.name)), setError);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    let live = true;
    setData(null);
    setLayout(null);
    setError(null);
    get<ErData>(`/api/er?${q({ schema })}`)
      .then((d) => { if (live) setData(d); return layoutInWorker(d); })
      .then((l) => {
        if (!live) return;
        const box = svg.current?.getBoundingClientRect();
        const k = box && l.width > 0 ? Math.max(0.05, Math.min(1, box.width / l.width, box.height / l.height)) : 1;
        setView({ x: 0, y: 0, k });
        setLayout(l);
      })
      .catch((e: unknown) => { if (live) setError(e); });
    return () => { live = false; };
  }, [schema]);

  const zoom = (factor: number, cx: number, cy: number) => setView((v) => {
    const k = Math.min(4, Math.max(0.02, v.k * factor));
    return { k, x: cx - ((cx - v.x) * k) / v.k, y: cy - ((cy - v.y) * k) / v.k };
  });
  const onWheel = (e: WheelEvent) => {
    e.preventDefault();
    const r = svg.current!.getBoundingClientRect();
    zoom(Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top);
  };
  useEffect(() => {
    // A non-passive listener: the page must not scroll while the diagram zooms.
    const el = svg.current;
    el?.addEventListener('wheel', onWheel, { passive: false });
    return () => el?.removeEventListener('wheel', onWheel);
  }, [svg.current]);
  const onDown = (e: PointerEvent) => { drag.current = { x: e.clientX, y: e.clientY, moved: false }; };
  const onMove = (e: PointerEvent) => {
    const d = drag.current;
    if (!d || (e.buttons & 1) === 0) return;
    const dx = e.clientX - d.x;
    const dy = e.clientY - d.y;
    if (!d.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    if (!d.moved) svg.current?.setPointerCapture(e.pointerId);
    d.moved = true;
    drag.current = { x: e.clientX, y: e.clientY, moved: true };
    setView((v) => ({ ...v, x: v.x + dx, y: v.y + dy }));
  };
  // A drag that ends on a box is not a click on it.
  const onClick = (e: MouseEvent) => { if (drag.current?.moved) e.preventDefault(); drag.current = null; };
  const download = () => {
    if (!svg.current || !layout) return;
    const url = URL.createObjectURL(new Blob([svgFile(svg.current, layout)], { type: 'image/svg+xml' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${schema}-er.svg`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  return (
    <div class="er">
      <div class="toolbar">
        <label>Schema <select aria-label="diagram schema" value={schema} onChange={(e) => { location.hash = `#/er/${encodeURIComponent(e.currentTarget.value)}`; }}>
          {[...new Set([schema, ...schemas])].map((s) => <option key={s}>{s}</option>)}
        </select></label>
        <button onClick={() => zoom(1.25, 0, 0)} aria-label="zoom in">+</button>
        <button onClick={() => zoom(0.8, 0, 0)} aria-label="zoom out">−</button>
        <button onClick={download} disabled={!layout}>Export SVG</button>
        <span class="muted" role="status">
          {!data ? 'Loading…' : `${data.nodes.length} tables and views, ${data.edges.length} foreign keys${layout ? '' : ' — laying out…'}`}
        </span>
      </div>
      <ErrorBox error={error ? errorOf(error) : null} />
      <svg ref={svg} class={`er-canvas${layout ? ' ready' : ''}`} aria-label="ER diagram"
        onPointerDown={onDown} onPointerMove={onMove} onClickCapture={onClick}>
        {layout && <ErSvg layout={layout} transform={`translate(${view.x} ${view.y}) scale(${view.k})`} />}
      </svg>
    </div>
  );
}
