#!/bin/sh
# Entrypoint of a PeSquel read replica (docker-compose.replicas.yml), as root like the official one.
# It installs the replication passfile for the `postgres` user (the secret is owner-only), copies the
# primary with pg_basebackup when the data directory is empty (-R: standby.signal and a
# primary_conninfo that names the passfile, never the password), then runs the official entrypoint,
# which finds an initialised directory and starts a hot standby.
set -eu

PGDATA="${PGDATA:-/var/lib/postgresql/data}"
PRIMARY="${PESQUEL_PRIMARY_HOST:-postgres}"
PASSFILE="${PESQUEL_REPLICATION_PASSFILE:-/var/lib/postgresql/pesquel-replication.pgpass}"
SECRET="${PESQUEL_REPLICATION_PGPASS_SECRET:-/run/secrets/replication_pgpass}"
RUN_AS="${PESQUEL_REPLICA_OS_USER:-postgres}"

as_postgres() {
  if [ "$(id -u)" = 0 ]; then su-exec "$RUN_AS" "$@"; else "$@"; fi
}

install_passfile() {
  if [ "$(id -u)" = 0 ]; then
    install -o "$RUN_AS" -g "$RUN_AS" -m 0600 "$SECRET" "$PASSFILE"
  else
    install -m 0600 "$SECRET" "$PASSFILE"
  fi
}

# Copies the primary into an empty $PGDATA; retries until the primary lets the replication role in
# (on an existing database, `pesquel setup` creates the role after this container has started).
clone_primary() {
  mkdir -p "$PGDATA"
  if [ "$(id -u)" = 0 ]; then chown "$RUN_AS:$RUN_AS" "$PGDATA"; fi
  chmod 0700 "$PGDATA"
  until as_postgres env PGPASSFILE="$PASSFILE" pg_basebackup \
      --host="$PRIMARY" --port="${PESQUEL_PRIMARY_PORT:-5432}" --username=replicator --no-password \
      --pgdata="$PGDATA" --wal-method=stream --checkpoint=fast --write-recovery-conf --progress; do
    echo "pesquel-replica: pg_basebackup from $PRIMARY failed; trying again in 5 s" >&2
    find "$PGDATA" -mindepth 1 -delete
    sleep 5
  done
  echo "pesquel-replica: copied $PRIMARY into $PGDATA; starting as a hot standby"
}

install_passfile
if [ ! -s "$PGDATA/PG_VERSION" ]; then clone_primary; fi
if [ -n "${PESQUEL_REPLICA_CLONE_ONLY:-}" ]; then exit 0; fi
exec docker-entrypoint.sh "$@"
