#!/bin/sh
# PeSquel init hook: applies every bundled init SQL file (sql/init/*.sql, mounted read-only at
# /pesquel/sql/init) in name order on first start, so a new file there needs no compose change.
# The official entrypoint sources *.sh hooks that are not executable, so: no `exit`, no `set -u`.

pesquel_apply_init_sql() {
  for _pq_file in "${PESQUEL_INIT_SQL_DIR:-/pesquel/sql/init}"/*.sql; do
    [ -f "$_pq_file" ] || continue
    echo "pesquel: applying $(basename "$_pq_file")"
    psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet --username "$POSTGRES_USER" --dbname "${POSTGRES_DB:-$POSTGRES_USER}" --file "$_pq_file" || return 1
  done
}

pesquel_apply_init_sql
