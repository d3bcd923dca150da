#!/bin/sh
# PeSquel init hook for streaming replicas (docker-compose.replicas.yml), on the primary: creates or
# updates the `replicator` role (REPLICATION LOGIN, its SCRAM secret from ../secrets, never a plain
# password), lets it connect for replication (pg_hba.conf) and keeps 1 GB of WAL for replicas that
# fall behind. Runs on the first start and again from `pesquel setup` (as root, `docker compose exec`).
# The official entrypoint sources *.sh hooks that are not executable, so: no `exit`, no `set -u`.

pesquel_setup_replication() {
  if [ -n "${PESQUEL_REPLICATION_SCRAM:-}" ]; then
    _pq_rscram="$PESQUEL_REPLICATION_SCRAM"
  elif [ -r /run/secrets/replication_scram ]; then
    _pq_rscram="$(cat /run/secrets/replication_scram)"
  else
    echo "pesquel: replication secret missing; replication role left unchanged" >&2
    return 1
  fi
  case "$_pq_rscram" in
    SCRAM-SHA-256\$*) ;;
    *) echo "pesquel: the replication secret is not a SCRAM-SHA-256 secret; refusing to use it" >&2; return 1 ;;
  esac
  case "$_pq_rscram" in
    *\'*) echo "pesquel: the replication secret contains a quote; refusing to use it" >&2; return 1 ;;
  esac
  _pq_ruser="${POSTGRES_USER:-}"
  [ -n "$_pq_ruser" ] || _pq_ruser="$(cat /run/secrets/postgres_user 2>/dev/null)"
  _pq_rdb="${POSTGRES_DB:-}"
  [ -n "$_pq_rdb" ] || _pq_rdb="$(cat /run/secrets/postgres_db 2>/dev/null)"
  _pq_hba="${PGDATA:-/var/lib/postgresql/data}/pg_hba.conf"
  if ! grep -q '^host[[:space:]]\{1,\}replication[[:space:]]\{1,\}replicator[[:space:]]' "$_pq_hba"; then
    printf '%s\n' '# Streaming replicas (PeSquel, docker-compose.replicas.yml)' 'host replication replicator all scram-sha-256' >> "$_pq_hba" || return 1
  fi
  # SQL goes through stdin, so no secret appears in a process's argument list.
  psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet --username "$_pq_ruser" --dbname "${_pq_rdb:-$_pq_ruser}" <<EOSQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'replicator') THEN
    CREATE ROLE replicator WITH REPLICATION LOGIN;
  END IF;
END
\$\$;
ALTER ROLE replicator WITH REPLICATION LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD '$_pq_rscram';
ALTER SYSTEM SET wal_keep_size = '1GB';
SELECT pg_reload_conf();
EOSQL
}

pesquel_setup_replication
