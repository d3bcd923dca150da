// A small parser for the Prometheus text format, for assertions on /metrics in tests.
export interface ParsedMetrics {
  readonly types: Map<string, string>;
  readonly samples: Array<{ name: string; labels: Record<string, string>; value: number }>;
}

export function parseMetrics(text: string): ParsedMetrics {
  const types = new Map<string, string>();
  const samples: ParsedMetrics['samples'] = [];
  for (const line of text.split('\n')) {
    const t = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (t) { types.set(t[1] as string, t[2] as string); continue; }
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`unparsable metrics line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1] as string] = l[2] as string;
    samples.push({ name: m[1] as string, labels, value: Number(m[3]) });
  }
  return { types, samples };
}

/** The value of the sample with exactly these labels (undefined when absent). */
export function metricValue(m: ParsedMetrics, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels);
  return m.samples.find((s) => s.name === name && Object.keys(s.labels).length === want.length && want.every(([k, v]) => s.labels[k] === v))?.value;
}
