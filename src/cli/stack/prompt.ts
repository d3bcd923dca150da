// Yes/no questions read line by line from stdin, so that answers can be typed or piped in
// (`printf 'y\nn\nn\n' | pesquel teardown`). End of input answers "no": nothing is deleted by default.
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

export type Asker = { ask(question: string): Promise<boolean>; close(): void };

export function createAsker(input: Readable, output: Writable): Asker {
  const rl = createInterface({ input, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  let ended = false;
  // Piped answers are echoed so that the transcript reads like a typed session.
  const interactive = (input as { isTTY?: boolean }).isTTY === true;
  return {
    async ask(question) {
      for (;;) {
        output.write(`${question} [y/N] `);
        const next = ended ? undefined : await lines.next();
        if (next === undefined || next.done) {
          ended = true;
          output.write('(no answer: no)\n');
          return false;
        }
        if (!interactive) output.write(`${String(next.value)}\n`);
        const answer = String(next.value).trim().toLowerCase();
        if (answer === 'y' || answer === 'yes') return true;
        if (answer === '' || answer === 'n' || answer === 'no') return false;
        output.write('Please answer y or n.\n');
      }
    },
    close() {
      rl.close();
    },
  };
}
