# Sourced as root by the pitr scripts: exports pgBackRest's settings from the overlay's environment and
# from /run/secrets (owner-only files only root can read), before dropping to the postgres user. Values go
# into the environment, never onto a command line (`ps`) or into a file others can read.
# PESQUEL_PITR_SECRETS_DIR: only for the tests of this script.
secrets_dir=${PESQUEL_PITR_SECRETS_DIR:-/run/secrets}
read_secret() {
  if [ ! -s "$secrets_dir/$1" ]; then echo "pesquel: $secrets_dir/$1 is missing or empty" >&2; exit 1; fi
  tr -d '\r\n' < "$secrets_dir/$1"
}
PGBACKREST_STANZA=pesquel
PGBACKREST_REPO1_CIPHER_PASS=$(read_secret pitr_cipher_pass)
PGBACKREST_PG1_USER=$(read_secret postgres_user)
PGBACKREST_REPO1_RETENTION_FULL=${PESQUEL_PITR_RETENTION_FULL:-2}
PGBACKREST_REPO1_RETENTION_DIFF=${PESQUEL_PITR_RETENTION_DIFF:-7}
export PGBACKREST_STANZA PGBACKREST_REPO1_CIPHER_PASS PGBACKREST_PG1_USER PGBACKREST_REPO1_RETENTION_FULL PGBACKREST_REPO1_RETENTION_DIFF
case "${PESQUEL_PITR_REPO:-posix}" in
  posix)
    export PGBACKREST_REPO1_TYPE=posix PGBACKREST_REPO1_PATH=/var/lib/pgbackrest
    ;;
  s3)
    endpoint=$(read_secret pitr_s3_endpoint)
    endpoint=${endpoint#https://}
    endpoint=${endpoint%%/*}
    PGBACKREST_REPO1_TYPE=s3
    PGBACKREST_REPO1_PATH=${PESQUEL_PITR_S3_PATH:-/pesquel}
    PGBACKREST_REPO1_S3_BUCKET=${PESQUEL_PITR_S3_BUCKET:?PESQUEL_PITR_S3_BUCKET is not set}
    PGBACKREST_REPO1_S3_ENDPOINT=${endpoint%%:*}
    PGBACKREST_REPO1_S3_REGION=$(read_secret pitr_s3_region)
    PGBACKREST_REPO1_S3_KEY=$(read_secret pitr_s3_key)
    PGBACKREST_REPO1_S3_KEY_SECRET=$(read_secret pitr_s3_key_secret)
    export PGBACKREST_REPO1_TYPE PGBACKREST_REPO1_PATH PGBACKREST_REPO1_S3_BUCKET PGBACKREST_REPO1_S3_ENDPOINT
    export PGBACKREST_REPO1_S3_REGION PGBACKREST_REPO1_S3_KEY PGBACKREST_REPO1_S3_KEY_SECRET
    # n: a store with a self-made certificate (PESQUEL_PITR_S3_VERIFY_TLS in the overlay).
    export PGBACKREST_REPO1_STORAGE_VERIFY_TLS="${PESQUEL_PITR_S3_VERIFY_TLS:-y}"
    # host:port endpoints (MinIO and the like); pgBackRest always speaks HTTPS.
    case "$endpoint" in *:*) export PGBACKREST_REPO1_STORAGE_PORT="${endpoint##*:}" ;; esac
    # Virtual-host style is AWS's; other S3-compatible stores usually want bucket names in the path.
    case "$endpoint" in *amazonaws.com*) ;; *) export PGBACKREST_REPO1_S3_URI_STYLE=path ;; esac
    ;;
  *)
    echo "pesquel: PESQUEL_PITR_REPO must be posix or s3, not '${PESQUEL_PITR_REPO}'" >&2
    exit 1
    ;;
esac
