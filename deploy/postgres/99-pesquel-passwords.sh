#!/bin/sh
# PeSquel init hook, run after 10-pesquel-init.sh (whose SQL creates the `authenticator` role), and run
# again by `pesquel setup` on an existing database (as root, through `docker compose exec`):
# - gives `authenticator` the exact SCRAM secret that pgBouncer holds, so pgBouncer can pass client
#   logins through to PostgreSQL (SCRAM pass-through needs identical salt and iterations);
# - resets the superuser's password from its secret (the official image only sets it on first start).
# The official entrypoint sources *.sh hooks that are not executable, so: no `exit`, no `set -u`.

pesquel_read() { # $1: value taken from the environment, if any; $2: secret file
  if [ -n "$1" ]; then printf '%s' "$1"; elif [ -r "$2" ]; then cat "$2"; fi
}

pesquel_set_passwords() {
  _pq_scram="$(pesquel_read "${PESQUEL_AUTHENTICATOR_SCRAM:-}" /run/secrets/authenticator_scram)"
  _pq_user="$(pesquel_read "${POSTGRES_USER:-}" /run/secrets/postgres_user)"
  _pq_pass="$(pesquel_read "${POSTGRES_PASSWORD:-}" /run/secrets/postgres_password)"
  _pq_db="$(pesquel_read "${POSTGRES_DB:-}" /run/secrets/postgres_db)"
  if [ -z "$_pq_scram" ] || [ -z "$_pq_user" ]; then
    echo "pesquel: authenticator secret or superuser name missing; passwords left unchanged" >&2
    return 1
  fi
  case "$_pq_scram$_pq_pass" in
    *\'*) echo "pesquel: a password contains a single quote; refusing to use it" >&2; return 1 ;;
  esac
  _pq_ident="$(printf '%s' "$_pq_user" | sed 's/"/""/g')"
  # SQL goes through stdin, so no secret appears in a process's argument list.
  psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet --username "$_pq_user" --dbname "${_pq_db:-$_pq_user}" <<EOSQL
ALTER ROLE authenticator WITH LOGIN PASSWORD '$_pq_scram';
ALTER ROLE "$_pq_ident" WITH PASSWORD '$_pq_pass';
EOSQL
}

pesquel_set_passwords
