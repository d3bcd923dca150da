#!/bin/sh
# Healthy when pgBouncer speaks the PostgreSQL protocol: an SSLRequest (length 8, code 80877103)
# must be answered 'N' (no TLS) or 'S'. Needs no credentials and no client package.
reply="$(printf '\000\000\000\010\004\322\026\057' | nc -w 3 127.0.0.1 "${PGBOUNCER_PORT:-6432}" 2>/dev/null | head -c 1)"
[ "$reply" = N ] || [ "$reply" = S ]
