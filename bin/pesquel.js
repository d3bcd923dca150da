#!/usr/bin/env node
// The `pesquel` command: runs the compiled CLI (npm install builds it into dist/).
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => { if (typeof code === 'number') process.exitCode = code; },
  (err) => { console.error(`pesquel: ${err instanceof Error ? err.message : String(err)}`); process.exitCode = 1; },
);
