#!/bin/sh
# Creates the Secrets of deploy/kubernetes with random values, once: pesquel-db-authenticator and
# pesquel-db-superuser (basic-auth, read by CloudNativePG) and pesquel (PeSquel's URIs, JWT secret,
# admin UI password), so that the URIs always carry the passwords the database roles get.
# Usage: sh deploy/kubernetes/create-secrets.sh [kubectl flags, e.g. --namespace pesquel]
# No value is printed or passed on a command line: kubectl reads them from files in a private folder.
set -eu
umask 077
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT INT TERM

random() { # $1 characters from [A-Za-z0-9]
  LC_ALL=C tr -dc 'A-Za-z0-9' < /dev/urandom | head -c "$1"
}

exists() {
  kubectl "$@" get secret "$SECRET_NAME" >/dev/null 2>&1
}

create() { # $1: name, $2: type, then --from-file arguments; kubectl flags come from the script's own
  name="$1"; type="$2"; shift 2
  SECRET_NAME="$name"
  if exists $KUBECTL_FLAGS; then
    echo "Secret $name exists: kept."
    return 0
  fi
  # shellcheck disable=SC2086
  kubectl $KUBECTL_FLAGS create secret generic "$name" --type="$type" "$@" >/dev/null
  echo "Secret $name created."
}

KUBECTL_FLAGS="$*"
authenticator="$(random 32)"
superuser="$(random 32)"
printf 'authenticator' > "$dir/authenticator-username"
printf '%s' "$authenticator" > "$dir/authenticator-password"
printf 'postgres' > "$dir/superuser-username"
printf '%s' "$superuser" > "$dir/superuser-password"
printf 'postgres://authenticator:%s@pesquel-db-rw:5432/pesquel' "$authenticator" > "$dir/db-uri"
printf 'postgres://authenticator:%s@pesquel-db-ro:5432/pesquel' "$authenticator" > "$dir/db-replica-uris"
printf 'postgres://postgres:%s@pesquel-db-rw:5432/pesquel' "$superuser" > "$dir/admin-db-uri"
random 64 > "$dir/jwt-secret"
random 24 > "$dir/admin-password"

# All three or none: a kept Secret must not be paired with new passwords in another.
found=""
for name in pesquel-db-authenticator pesquel-db-superuser pesquel; do
  SECRET_NAME="$name"
  # shellcheck disable=SC2086
  if exists $KUBECTL_FLAGS; then found="$found $name"; fi
done
if [ -n "$found" ] && [ "$found" != " pesquel-db-authenticator pesquel-db-superuser pesquel" ]; then
  echo "Only some of the Secrets exist (${found# }): delete them, or create the missing ones by hand with the same passwords." >&2
  exit 1
fi

create pesquel-db-authenticator kubernetes.io/basic-auth \
  --from-file=username="$dir/authenticator-username" --from-file=password="$dir/authenticator-password"
create pesquel-db-superuser kubernetes.io/basic-auth \
  --from-file=username="$dir/superuser-username" --from-file=password="$dir/superuser-password"
create pesquel Opaque \
  --from-file=db-uri="$dir/db-uri" --from-file=db-replica-uris="$dir/db-replica-uris" \
  --from-file=admin-db-uri="$dir/admin-db-uri" --from-file=jwt-secret="$dir/jwt-secret" \
  --from-file=admin-password="$dir/admin-password"
