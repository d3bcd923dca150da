#!/usr/bin/env node
// The `pesquel` command: runs the compiled CLI (npm install builds it into dist/).
import '../dist/cli/entry.js';
