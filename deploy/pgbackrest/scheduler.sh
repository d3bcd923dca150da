#!/bin/sh
# The pgbackrest service: once setup has created the stanza, every minute it asks the repository when the last full
# and the last backup ended, and takes a full backup every PESQUEL_PITR_FULL_EVERY_HOURS (default 168, a
# week) and a differential one every PESQUEL_PITR_DIFF_EVERY_HOURS (default 24); pgBackRest expires old
# ones by the retention settings after each backup.
# A loop rather than cron: it works from the repository's own timestamps, so a stack that was down at the
# scheduled hour catches up at once, restarts cannot double a backup, and everything logs to stdout.
set -eu
if [ "$(id -u)" = 0 ]; then
  . /usr/local/lib/pesquel/pitr-env.sh
  exec su-exec postgres /bin/sh "$0" "$@"
fi
full_every=$((${PESQUEL_PITR_FULL_EVERY_HOURS:-168} * 3600))
diff_every=$((${PESQUEL_PITR_DIFF_EVERY_HOURS:-24} * 3600))
ok_file=${PESQUEL_PITR_OK_FILE:-/tmp/pgbackrest/pesquel-scheduler-ok}
socket_dir=${PGBACKREST_PG1_SOCKET_PATH:-/var/run/postgresql}
log() { echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) pitr-scheduler: $*"; }
pause() { sleep "$1" & wait $! || true; }
# A failed round is logged and retried after a while (with PESQUEL_PITR_ONCE=1: exit 1 at once).
retry_in() { log "$2"; if [ "${PESQUEL_PITR_ONCE:-}" = 1 ]; then exit 1; fi; pause "$1"; }
trap 'log "stopping"; exit 0' TERM INT

until pg_isready -q -h "$socket_dir" -p "${PGBACKREST_PG1_PORT:-5432}" -U "$PGBACKREST_PG1_USER" -d postgres; do pause 2; done
log "PostgreSQL is up; repository: ${PGBACKREST_REPO1_TYPE:-as configured} ${PGBACKREST_REPO1_PATH:-}"
while :; do
  if ! info=$(pgbackrest info --output=json); then retry_in 300 "pgbackrest info failed; retrying in 5 minutes"; continue; fi
  # 0: ok, 2: no backup yet. Anything else: the stanza is not there yet (`pesquel setup --pitr` creates it).
  code=$(printf '%s' "$info" | jq '.[0].status.code')
  case "$code" in
    0|2) ;;
    *) retry_in 30 "stanza not ready: $(printf '%s' "$info" | jq -r '.[0].status.message'); checking again in 30 s"; continue ;;
  esac
  now=$(date +%s)
  last_full=$(printf '%s' "$info" | jq '[.[0].backup[]? | select(.type == "full") | .timestamp.stop] | max // 0')
  last_any=$(printf '%s' "$info" | jq '[.[0].backup[]? | .timestamp.stop] | max // 0')
  kind=
  if [ $((now - last_full)) -ge "$full_every" ]; then kind=full
  elif [ $((now - last_any)) -ge "$diff_every" ]; then kind=diff
  fi
  if [ -n "$kind" ]; then
    log "starting a $kind backup"
    if ! pgbackrest backup --type="$kind"; then retry_in 300 "$kind backup failed; retrying in 5 minutes"; continue; fi
    log "$kind backup done"
  fi
  date +%s > "$ok_file"
  # PESQUEL_PITR_ONCE=1: one round, then exit (test/ops/pitr.test.ts runs it against a real server).
  if [ "${PESQUEL_PITR_ONCE:-}" = 1 ]; then exit 0; fi
  pause 60
done
