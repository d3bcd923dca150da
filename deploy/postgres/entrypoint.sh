#!/bin/sh
# PeSquel's wrapper around the official postgres entrypoint. It runs as root, like the official one,
# and reads the authenticator's SCRAM secret for the init hook 99-pesquel-passwords.sh: that hook runs
# as the `postgres` user, which cannot read the owner-only secret files that Compose bind-mounts.
# The value goes into this process's environment only (never the container's, so not `docker inspect`).
set -eu
if [ -r /run/secrets/authenticator_scram ]; then
  PESQUEL_AUTHENTICATOR_SCRAM="$(cat /run/secrets/authenticator_scram)"
  export PESQUEL_AUTHENTICATOR_SCRAM
fi
# Same for the replication role's SCRAM secret (20-pesquel-replication.sh, with --pg-replicas only).
if [ -r /run/secrets/replication_scram ]; then
  PESQUEL_REPLICATION_SCRAM="$(cat /run/secrets/replication_scram)"
  export PESQUEL_REPLICATION_SCRAM
fi
exec docker-entrypoint.sh "$@"
