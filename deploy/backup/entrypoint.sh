#!/bin/sh
# Runs `pesquel backup` on a schedule (PESQUEL_BACKUP_EVERY, default 24h) into /backups, as the
# database superuser (PESQUEL_DB_URI_FILE, a direct connection: pg_dump needs a session).
# Retention: PESQUEL_BACKUP_KEEP / PESQUEL_BACKUP_MAX_AGE_DAYS, read by pesquel itself.
set -eu
umask 077
exec node /app/bin/pesquel.js backup --dir /backups --every "${PESQUEL_BACKUP_EVERY:-24h}" "$@"
