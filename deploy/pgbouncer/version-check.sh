#!/bin/sh
# Fails the image build when the installed pgBouncer is older than $1 (e.g. 1.25.2).
set -eu
need="$1"
have="$(su-exec nobody pgbouncer --version | sed -n 's/^[Pp]g[Bb]ouncer \([0-9][0-9.]*\).*/\1/p' | head -n 1)"
if awk -v have="$have" -v need="$need" 'BEGIN {
  split(have, h, "."); split(need, n, ".")
  for (i = 1; i <= 3; i++) { if (h[i] + 0 > n[i] + 0) exit 0; if (h[i] + 0 < n[i] + 0) exit 1 }
  exit 0 }'; then
  echo "pgBouncer $have (>= $need)"
else
  echo "pgBouncer ${have:-?} is older than $need, which fixes published CVEs: build with a newer ALPINE_VERSION" >&2
  exit 1
fi
