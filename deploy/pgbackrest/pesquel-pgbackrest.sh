#!/bin/sh
# pgbackrest with the stack's settings. Run as root (docker compose exec/run), it reads the secrets and
# runs pgbackrest as postgres, the owner of the data directory and the repository:
#   docker compose -p pesquel ... exec pgbackrest pesquel-pgbackrest info
set -eu
if [ "$(id -u)" = 0 ]; then
  . /usr/local/lib/pesquel/pitr-env.sh
  exec su-exec postgres pgbackrest "$@"
fi
exec pgbackrest "$@"
