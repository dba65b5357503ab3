#!/usr/bin/env bash
# Restore an archive of tools/backup.sh into a NEW database (make restore):
#   make restore FILE=backups/lco-<db>-<stamp>.tar [DB=<new name>]
# DB defaults to the name of the database that was backed up. An existing
# database, or an existing filestore of that name, is never overwritten. The
# files go to $DATA_DIR/filestore/<new name>. NEUTRALIZE=1 neutralizes the
# copy (Odoo's `odoo neutralize`: no outgoing mail, crons off), for a test
# copy beside the production database.
# Every member is checked against the archive's SHA256SUMS first: a damaged
# archive is refused before anything is written. An encrypted archive
# (.tar.enc of KEY_FILE=... make backup) needs the same KEY_FILE.
# Same variables as tools/run.sh (DB, DB_HOST, DB_PORT, DB_USER, DB_PASSWORD,
# PG_DIR, DATA_DIR); without DB_HOST, the cluster of make run in PG_DIR, made
# if there is none yet. See README.md, "Backup and restore".
set -euo pipefail
source "$(dirname "$0")/pgclient.sh"
# The restored files are clients' documents.
umask 077

FILE=${FILE:-${1:-}}
[ -n "$FILE" ] || die "which archive? make restore FILE=backups/lco-<db>-<stamp>.tar [DB=<new name>]"
[ -f "$FILE" ] || die "$FILE is not a file."
FILE=$(realpath "$FILE")

mkdir -p "$DATA_DIR/filestore"
chmod 700 "$DATA_DIR"
# Unpacked next to the filestores, so that the files are moved, not copied.
work=$(mktemp -d "$DATA_DIR/filestore/.lco-restore.XXXXXX")
created=
cleanup() {
    status=$?
    if [ "$status" -ne 0 ] && [ -n "$created" ]; then
        echo "Restore failed: dropping the new database $DB again." >&2
        "$(pg_program dropdb)" "${PG_ARGS[@]}" --if-exists "$DB" || true
        rm -rf "${DATA_DIR:?}/filestore/${DB:?}"
    fi
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT

# An encrypted archive is decrypted next to the filestores first.
TAR_FILE=$FILE
if [ "$(head -c 8 "$FILE")" = Salted__ ]; then
    [ -n "${KEY_FILE:-}" ] || die "$FILE is encrypted: give its key file, KEY_FILE=<file>."
    [ -r "$KEY_FILE" ] || die "KEY_FILE $KEY_FILE is not a readable file."
    TAR_FILE=$work/archive.tar
    openssl enc -d -aes-256-cbc -pbkdf2 -iter 200000 -pass "file:$KEY_FILE" \
        -in "$FILE" -out "$TAR_FILE" 2>/dev/null \
        || die "$FILE cannot be decrypted with the key in $KEY_FILE (another key, or a damaged archive)."
fi

# First the manifest only (the first member): what the archive is, and into
# which database it goes.
tar -xf "$TAR_FILE" -C "$work" --occurrence --no-same-owner --no-same-permissions manifest.json \
    2>/dev/null || die "$FILE is not an archive of make backup (it has no manifest.json)."
read_manifest=$(cat <<'PY'
import ast
import json
import sys

manifest = json.load(open(sys.argv[1]))
if manifest.get("lco_backup") != "1":
    raise SystemExit(f"{sys.argv[1]}: not the manifest of make backup.")
with open(sys.argv[2]) as file:
    addon = ast.literal_eval(file.read())
for value in (
    manifest["db_name"],
    manifest["major_version"],
    manifest.get("pg_dump_version") or 0,
    manifest.get("lco_module_version") or "",
    release["major_version"],
    addon["version"],
):
    print(value)
PY
)
values=$("$PYTHON" -c "$ODOO_RELEASE
$read_manifest" "$work/manifest.json" "$ROOT/lco_module/__manifest__.py") \
    || die "$FILE is not an archive of make backup."
{
    read -r source_db
    read -r backup_odoo
    read -r archive_major
    read -r backup_addon
    read -r this_odoo
    read -r this_addon
} <<<"$values"
DB=${DB:-$source_db}
if [ "$backup_odoo" != "$this_odoo" ]; then
    die "$FILE is a database of Odoo $backup_odoo; this machine runs Odoo $this_odoo:" \
        "restore it with Odoo $backup_odoo (a database moves to another major version of" \
        "Odoo only through an upgrade of Odoo itself)."
fi

use_cluster create
detect_server postgres
exists=$(pg_sql postgres -v db="$DB" <<<"SELECT 1 FROM pg_database WHERE datname = :'db'")
if [ -n "$exists" ]; then
    die "database $DB exists already, and a restore never overwrites a database:" \
        "give a new name, e.g. make restore FILE=$FILE DB=${DB}_restored"
fi
target=$DATA_DIR/filestore/$DB
if [ -e "$target" ] && [ -n "$(ls -A "$target")" ]; then
    die "$target exists already (the files of an earlier database $DB?) and a restore" \
        "never overwrites files: remove it, or give a new name with DB=<new name>."
fi
PG_RESTORE=$(pg_program_for_server pg_restore)
if [ "$(program_major "$PG_RESTORE")" -lt "$archive_major" ]; then
    die "$FILE was written by pg_dump of PostgreSQL $archive_major; $PG_RESTORE is older:" \
        "install the client programs of PostgreSQL $archive_major or newer."
fi
# Only the members a backup has: nothing else of the archive is written.
tar -xf "$TAR_FILE" -C "$work" --no-same-owner --no-same-permissions dump.pgc filestore \
    || die "$FILE is not a whole archive of make backup (dump.pgc, filestore/)."
# Each of them as it was backed up (SHA256SUMS, since backups have one).
if tar -xf "$TAR_FILE" -C "$work" --no-same-owner --no-same-permissions SHA256SUMS 2>/dev/null; then
    damaged=$(cd "$work" && sha256sum --quiet -c SHA256SUMS 2>/dev/null | sed 's/: FAILED.*//') || true
    [ -z "$damaged" ] || die "$FILE is damaged, nothing was restored: these members differ" \
        "from their checksum (SHA256SUMS): $(echo $damaged)."
    unlisted=$(cd "$work" && find filestore -type f | LC_ALL=C sort \
        | comm -23 - <(sed 's/^[0-9a-f]*  //' SHA256SUMS | LC_ALL=C sort))
    [ -z "$unlisted" ] || die "$FILE holds files that are not in its SHA256SUMS, nothing was" \
        "restored: $(echo $unlisted)."
else
    echo "WARNING: $FILE has no checksums (made before make backup wrote SHA256SUMS):" \
        "its members cannot be verified." >&2
fi

echo "Restoring database $source_db of $FILE into the new database $DB..."
# As Odoo creates its databases: UTF-8 and the C collation, from template0.
"$(pg_program createdb)" "${PG_ARGS[@]}" -T template0 -E UTF8 --lc-collate=C "$DB"
created=1
# --no-owner --no-privileges: everything belongs to DB_USER, whoever owned it
# on the server that was backed up.
"$PG_RESTORE" "${PG_ARGS[@]}" -d "$DB" --no-owner --no-privileges --exit-on-error \
    --single-transaction "$work/dump.pgc"
rm -rf "$target"
mv "$work/filestore" "$target"
if [ "$(id -u)" = 0 ]; then
    # Restored by root for an Odoo that runs as another user: his files.
    chown -R --reference="$DATA_DIR/filestore" "$target"
fi

if [ "${NEUTRALIZE:-0}" = 1 ]; then
    require_odoo
    args=(-d "$DB" --db_host "$DB_HOST" --db_user "$DB_USER" --addons-path "$(addons_path)")
    [ -n "${DB_PORT:-}" ] && args+=(--db_port "$DB_PORT")
    [ -n "${DB_PASSWORD:-}" ] && args+=(--db_password "$DB_PASSWORD")
    "$PYTHON" -m odoo neutralize "${args[@]}" --log-level=warn
fi

echo "Database $DB is restored, with its filestore in $target."
if [ "$backup_addon" != "$this_addon" ]; then
    echo "It has lco_module $backup_addon and this checkout $this_addon: upgrade it once before" \
        "serving it (see README.md, \"Backup and restore\")."
fi
echo "Serve it with: make run DB=$DB"
