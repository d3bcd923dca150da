// Process entry of the `pesquel` command (bin/pesquel.js loads the compiled copy of this file).
import { main } from './main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`pesquel: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
