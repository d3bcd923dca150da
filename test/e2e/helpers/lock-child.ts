// A process that tries to lock a data directory when told to (a line on stdin), prints the outcome,
// and holds the lock until its stdin closes: several of them race for one directory.
import { createInterface } from 'node:readline';
import { lockDataDir } from '../../../src/db/data-dir.js';

const dir = process.argv[2] as string;
const lines = createInterface({ input: process.stdin });
let lock: ReturnType<typeof lockDataDir> | null = null;
lines.once('line', () => {
  try {
    lock = lockDataDir(dir);
    process.stdout.write('won\n');
  } catch (err) {
    process.stdout.write(`lost: ${(err as Error).message}\n`);
  }
});
lines.once('close', () => lock?.release());
process.stdout.write('ready\n');
