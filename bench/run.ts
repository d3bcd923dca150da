// `npm run bench` (full, < 20 min) or `npm run bench -- --quick` (< 2 min): runs the suite and
// writes bench/results/<mode>-<time>.{json,md,svg} plus latest.{json,md,svg}.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { mode, type Mode } from './plan.js';
import { renderChart } from './report/chart.js';
import { renderMarkdown } from './report/markdown.js';
import { runSuite } from './suite.js';

const usage = `Usage: npm run bench [-- --quick | --tiny] [--out DIR]
  (default)  full run, under 20 minutes
  --quick    a few scenarios, under 2 minutes
  --tiny     the self-check's run, seconds`;

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(usage);
    return 0;
  }
  const name: Mode['name'] = argv.includes('--tiny') ? 'tiny' : argv.includes('--quick') ? 'quick' : 'full';
  const outIdx = argv.indexOf('--out');
  const out = outIdx >= 0 && argv[outIdx + 1] ? argv[outIdx + 1] as string : fileURLToPath(new URL('./results/', import.meta.url));
  const suite = await runSuite(mode(name));
  mkdirSync(out, { recursive: true });
  const stamp = suite.startedAt.replace(/[:.]/g, '-');
  const md = renderMarkdown(suite);
  const svg = renderChart(suite);
  for (const base of [`${name}-${stamp}`, 'latest']) {
    writeFileSync(`${out}/${base}.json`, JSON.stringify(suite, null, 1));
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
