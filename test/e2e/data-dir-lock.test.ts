// The data directory's lock under a real race: processes told to lock one directory at the same
// moment (no database involved, so the race is tight): exactly one wins, each loser names it; a
// lock whose process died is taken over by exactly one of the next racers.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const child = fileURLToPath(new URL('./helpers/lock-child.ts', import.meta.url));
const tsx = import.meta.resolve('tsx');

interface Racer { proc: ChildProcess; output: () => string; exited: Promise<unknown> }

function racer(dir: string): Racer {
  const proc = spawn(process.execPath, ['--import', tsx, child, dir], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  proc.stdout?.setEncoding('utf8').on('data', (d: string) => { out += d; });
  return { proc, output: () => out, exited: new Promise((r) => proc.on('exit', r)) };
}

async function until(check: () => boolean, what: string, ms = 60_000): Promise<void> {
  for (const end = Date.now() + ms; !check();) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Starts n racers, waits until all are loaded, then releases them at once; returns them with outcomes. */
async function race(dir: string, n: number): Promise<Racer[]> {
  const racers = Array.from({ length: n }, () => racer(dir));
  await until(() => racers.every((r) => r.output().includes('ready')), 'the racers to load');
  for (const r of racers) r.proc.stdin?.write('go\n');
  await until(() => racers.every((r) => /won|lost/.test(r.output())), 'every outcome');
  return racers;
}

const base = mkdtempSync(join(tmpdir(), 'pesquel-lock-race-'));
after(() => rmSync(base, { recursive: true, force: true }));

describe('data directory lock', () => {
  it('six processes at once: exactly one wins, the others name its pid; after its death one of the next wins', async () => {
    const dir = join(base, 'data');
    const first = await race(dir, 6);
    const winners = first.filter((r) => r.output().includes('won'));
    assert.equal(winners.length, 1, first.map((r) => r.output()).join(''));
    const pid = winners[0]!.proc.pid;
    assert.equal(readFileSync(join(dir, 'pesquel.lock'), 'utf8').trim(), String(pid));
    for (const r of first) if (r !== winners[0]) assert.match(r.output(), new RegExp(`in use by PeSquel \\(pid ${pid}\\)`));
    for (const r of first) if (r !== winners[0]) r.proc.stdin?.end();

    // The holder dies without releasing: its lock file stays, naming a pid that is gone.
    winners[0]!.proc.kill('SIGKILL');
    await Promise.all(first.map((r) => r.exited));
    assert.equal(readFileSync(join(dir, 'pesquel.lock'), 'utf8').trim(), String(pid));
    const second = await race(dir, 6);
    const next = second.filter((r) => r.output().includes('won'));
    assert.equal(next.length, 1, second.map((r) => r.output()).join(''));
    assert.equal(readFileSync(join(dir, 'pesquel.lock'), 'utf8').trim(), String(next[0]!.proc.pid));
    for (const r of second) r.proc.stdin?.end();
    await Promise.all(second.map((r) => r.exited));
    assert.ok(!existsSync(join(dir, 'pesquel.lock')), 'released on exit');
  });

  it('a lock file naming a live process that is not PeSquel is still honoured; garbage is stale', async () => {
    const dir = join(base, 'other');
    mkdirSync(dir);
    writeFileSync(join(dir, 'pesquel.lock'), `${process.pid}\n`);
    const [held] = await race(dir, 1);
    assert.match(held!.output(), new RegExp(`lost: .*in use by PeSquel \\(pid ${process.pid}\\)`));
    held!.proc.stdin?.end();
    writeFileSync(join(dir, 'pesquel.lock'), 'not a pid\n');
    const [taken] = await race(dir, 1);
    assert.match(taken!.output(), /won/);
    taken!.proc.stdin?.end();
    await taken!.exited;
  });
});
