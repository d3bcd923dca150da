#!/bin/sh
# The pitr overlay's postgres entrypoint: exports pgBackRest's settings (read as root) so that PostgreSQL's
# archive_command inherits them, turns WAL archiving on, then hands over to PeSquel's own entrypoint.
set -eu
. /usr/local/lib/pesquel/pitr-env.sh
if [ "${1:-}" = postgres ]; then
  # archive_timeout bounds what a lost server can lose (the RPO): a segment is archived at least this often.
  # wal_level stays as configured (replica by default, enough for archiving; the replicas overlay may raise it).
  set -- "$@" -c archive_mode=on -c "archive_command=pgbackrest archive-push %p" \
    -c "archive_timeout=${PESQUEL_PITR_ARCHIVE_TIMEOUT:-60}"
fi
exec /bin/sh /usr/local/bin/pesquel-postgres-entrypoint.sh "$@"
