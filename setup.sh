#!/usr/bin/env bash
# Kept for the seed's users: `bash setup.sh [options]` runs `pesquel setup [options]` from this folder
# (secrets/ lives here). It installs and builds the CLI first when needed. See docs/deployment.md.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v node >/dev/null 2>&1; then
  echo "setup.sh: Node.js 20 or newer is required: https://nodejs.org/" >&2
  exit 1
fi
if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund
fi
if [ ! -f dist/cli/main.js ] || [ -n "$(find src -newer dist/cli/main.js -print -quit)" ]; then
  npm run --silent build
fi
exec node bin/pesquel.js setup "$@"
