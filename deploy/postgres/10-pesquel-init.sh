#!/bin/sh
# PeSquel init hook, on first start (empty volume): applies the bundled SQL (the repository's sql/,
# mounted read-only at /pesquel/sql) in name order: PeSquel's own objects (internal/: roles, the auth
# schema), the seed (init/: api schema, todos, notes, example functions), then the production
# defaults (production/: anonymous clients read-only). A new file in any of them needs no compose
# change. PeSquel records the internal versions at its first start (over admin-db-uri) and applies
# newer ones after an upgrade, when this hook no longer runs.
# The official entrypoint sources *.sh hooks that are not executable, so: no `exit`, no `set -u`.

pesquel_apply_init_sql() {
  for _pq_part in internal init production; do
    for _pq_file in "${PESQUEL_SQL_DIR:-/pesquel/sql}/$_pq_part"/*.sql; do
      [ -f "$_pq_file" ] || continue
      echo "pesquel: applying $_pq_part/$(basename "$_pq_file")"
      psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet --username "$POSTGRES_USER" --dbname "${POSTGRES_DB:-$POSTGRES_USER}" --file "$_pq_file" || return 1
    done
  done
}

pesquel_apply_init_sql
