#!/bin/sh
# Starts pgBouncer as the unprivileged `pgbouncer` user. As root it first copies the userlist from its
# owner-only Docker secret into a tmpfs file that only `pgbouncer` can read (pgBouncer refuses root).
set -eu
src="${PGBOUNCER_USERLIST_FILE:-/run/secrets/pgbouncer_userlist}"
dst=/run/pgbouncer/userlist.txt
if [ "$(id -u)" = 0 ]; then
  mkdir -p /run/pgbouncer
  chown pgbouncer:pgbouncer /run/pgbouncer
  install -o pgbouncer -g pgbouncer -m 0400 "$src" "$dst"
  exec su-exec pgbouncer "$@"
fi
install -m 0400 "$src" "$dst"
exec "$@"
