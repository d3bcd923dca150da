// Entry point for end-to-end CLI tests: runs the TypeScript CLI in a child process (node --import tsx).
import { main } from '../../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
