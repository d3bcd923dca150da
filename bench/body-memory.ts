// Peak RSS per MB of request body (issue 20 item 8): POSTs 1, 4 and 8 concurrent bodies of --mb MB
// to a PeSquel in a child process and reads the child's peak resident set (VmHWM, reset between
// rounds through /proc/<pid>/clear_refs). Linux only.
// Usage: npx tsx bench/body-memory.ts [--backend pglite|postgres] [--mb 50] [--concurrency 1,4,8]
//        [--option name=value ...]   (PeSquel options, e.g. --option server-max-body-total-bytes=1073741824)
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const MB = 1024 * 1024;

function flag(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** Child mode: a PeSquel over a real database with one plain table; prints its URL, serves until stdin closes. */
async function serve(backend: string, options: Record<string, string>): Promise<void> {
  const { startTestApi } = await import('../test/helpers/backends.js');
  const api = await startTestApi(backend as 'pglite' | 'postgres', { options });
  await api.sql('CREATE TABLE api.body_memory (n int, t text)');
  await api.sql('GRANT INSERT ON api.body_memory TO api_anon');
  await api.reload();
  process.stdout.write(`${JSON.stringify({ url: api.url })}\n`);
  process.stdin.resume();
  process.stdin.once('end', () => void api.close().then(() => process.exit(0)));
}

/** A JSON array of rows of about 100 bytes, `mb` MB in all. */
function body(mb: number): Buffer {
  const rows: string[] = [];
  let size = 2;
  for (let n = 0; size < mb * MB; n++) {
    const row = `{"n":${n},"t":"${'x'.repeat(80)}"}`;
    rows.push(row);
    size += row.length + 1;
  }
  return Buffer.from(`[${rows.join(',')}]`);
}

const status = (pid: number, field: 'VmHWM' | 'VmRSS') => {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
};

async function start(backend: string, options: readonly string[]): Promise<{ child: ChildProcess; url: string }> {
  const args = ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve', backend, ...options.flatMap((o) => ['--option', o])];
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    if (line.startsWith('{')) return { child, url: (JSON.parse(line) as { url: string }).url };
  }
  throw new Error('the server exited before it listened');
}

async function main(argv: readonly string[]): Promise<void> {
  const options = argv.flatMap((a, i) => (argv[i - 1] === '--option' ? [a] : []));
  if (argv.includes('--serve')) {
    await serve(flag(argv, '--serve') ?? 'pglite', Object.fromEntries(options.map((o) => [o.slice(0, o.indexOf('=')), o.slice(o.indexOf('=') + 1)])));
    return;
  }
  const backend = flag(argv, '--backend') ?? 'pglite';
  const mb = Number(flag(argv, '--mb') ?? 50);
  const levels = (flag(argv, '--concurrency') ?? '1,4,8').split(',').map(Number);
  const payload = body(mb);
  const { child, url } = await start(backend, options);
  const pid = child.pid as number;
  console.log(`backend ${backend}, bodies of ${(payload.length / MB).toFixed(1)} MB${options.length ? `, ${options.join(' ')}` : ''}`);
  console.log('| concurrent | answers | peak RSS − before (MB) | per MB of body accepted | RSS after (MB) |');
  console.log('|---|---|---|---|---|');
  const failures = new Set<string>();
  try {
    for (const c of levels) {
      const before = status(pid, 'VmRSS');
      writeFileSync(`/proc/${pid}/clear_refs`, '5'); // resets VmHWM to the current RSS
      const answers = await Promise.all(Array.from({ length: c }, () =>
        fetch(`${url}/body_memory`, { method: 'POST', headers: { 'Content-Type': 'application/json', Prefer: 'return=minimal' }, body: payload })
          .then(async (r) => {
            const text = await r.text();
            if (r.status !== 201 && r.status !== 503) failures.add(`${r.status} ${text.slice(0, 200)}`);
            return r.status;
          }, (err: Error) => { failures.add(err.message); return 0; })));
      const peak = status(pid, 'VmHWM');
      const accepted = answers.filter((s) => s === 201).length;
      const counts = [...new Set(answers)].sort().map((s) => `${answers.filter((x) => x === s).length}×${s || 'error'}`).join(', ');
      const grown = (peak - before) / MB;
      const perMb = accepted === 0 ? NaN : grown / ((accepted * payload.length) / MB);
      console.log(`| ${c} | ${counts} | ${grown.toFixed(0)} | ${perMb.toFixed(2)} | ${(status(pid, 'VmRSS') / MB).toFixed(0)} |`);
    }
    for (const f of failures) console.log(`unexpected answer: ${f}`);
  } finally {
    child.stdin?.end();
    await new Promise((r) => child.once('exit', r));
  }
}

await main(process.argv.slice(2));
