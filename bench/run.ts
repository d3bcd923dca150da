// `npm run bench` (full, < 20 min) or `npm run bench -- --quick` (< 2 min): runs the suite and
// writes bench/results/<mode>-<time>.{json,md,svg} plus latest.{json,md,svg}.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mode, type Mode } from './plan.js';
import { renderChart } from './report/chart.js';
import { renderMarkdown } from './report/markdown.js';
import { runSuite } from './suite.js';
import { adminPaintAvailable, measureAdminFirstPaint, paintMarkdown, type PaintResult } from './admin-paint.js';

const usage = `Usage: npm run bench [-- --quick | --tiny] [--out DIR] [--pesquel-root DIR]
  (default)        full run, under 20 minutes
  --quick          a few scenarios, under 2 minutes
  --tiny           the self-check's run, seconds
  --out DIR        where results go (default bench/results/)
  --only A,B       only the cells of these scenarios (get-1, get-10, post-1, rows-10000, …)
  --duration MS    measured time per run instead of the mode's
  --profile        CPU-profile the PeSquel processes (node --cpu-prof) into DIR/profiles/ and
                   summarise them in the report
  --pesquel-root   the PeSquel checkout to run (default this one), e.g. a snapshot of a commit:
                   git archive HEAD | tar -x -C /tmp/p && ln -s "$PWD/node_modules" /tmp/p/`;

function flag(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(usage);
    return 0;
  }
  const name: Mode['name'] = argv.includes('--tiny') ? 'tiny' : argv.includes('--quick') ? 'quick' : 'full';
  const out = flag(argv, '--out') ?? fileURLToPath(new URL('./results/', import.meta.url));
  const root = flag(argv, '--pesquel-root');
  mkdirSync(out, { recursive: true });
  const profileDir = argv.includes('--profile') ? join(out, 'profiles') : undefined;
  if (profileDir) {
    rmSync(profileDir, { recursive: true, force: true });
    mkdirSync(profileDir, { recursive: true });
  }
  const only = flag(argv, '--only')?.split(',');
  const duration = flag(argv, '--duration');
  const base = mode(name);
  const chosen: Mode = {
    ...base,
    ...(duration === undefined ? {} : { durationMs: Number(duration) }),
    cells: base.cells.filter((c) => only === undefined || only.includes(c.scenario.name)),
  };
  const suite = await runSuite(chosen, {
    ...(root === undefined ? {} : { pesquelRoot: resolve(root) }),
    ...(profileDir === undefined ? {} : { profileDir }),
  });
  const stamp = suite.startedAt.replace(/[:.]/g, '-');
  // The admin UI's first paint (issue 7), when Chromium and the built client are here.
  // Its failure (e.g. the live tree mid-edit) is reported, never the loss of the run's results.
  let paint: PaintResult | null = null;
  let paintError = '';
  if (name !== 'tiny' && only === undefined && adminPaintAvailable()) {
    try {
      paint = await measureAdminFirstPaint(5);
    } catch (err) {
      paintError = `\n## Admin UI first paint\n\nNot measured: ${err instanceof Error ? err.message : String(err)}\n`;
    }
  }
  const md = renderMarkdown(suite) + (paint ? paintMarkdown(paint) : paintError);
  const svg = renderChart(suite);
  for (const base of [`${name}-${stamp}`, 'latest']) {
    writeFileSync(`${out}/${base}.json`, JSON.stringify({ ...suite, adminPaint: paint }, null, 1));
    writeFileSync(`${out}/${base}.md`, md);
    writeFileSync(`${out}/${base}.svg`, svg);
  }
  process.stdout.write(md);
  process.stderr.write(`\nwritten: ${out}/latest.{md,json,svg} (${suite.seconds.toFixed(0)} s)\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.stack : String(err));
    process.exit(1);
  },
);
