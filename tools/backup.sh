#!/usr/bin/env bash
# Back up database $DB and its filestore into one archive (make backup):
#   $BACKUP_DIR/lco-<db>-<YYYYmmdd-HHMMSS, UTC>.tar, mode 600, holding
#   dump.pgc      the database (pg_dump, custom format),
#   filestore/    the attachments' files ($DATA_DIR/filestore/<db>),
#   manifest.json the database's name, Odoo's, PostgreSQL's and the modules'
#                 versions (the keys of Odoo's own backups, and a few more),
#   SHA256SUMS    the checksum of every other member (sha256sum's format),
#                 which tools/restore.sh verifies before restoring anything.
# KEY_FILE=<file>: the archive is encrypted with the key in that file
#   (openssl enc, AES-256-CBC, PBKDF2) into lco-<db>-<stamp>.tar.enc; keep
#   the key apart from the backups (make one: openssl rand -base64 48).
# Same variables as tools/run.sh (DB, DB_HOST, DB_PORT, DB_USER, DB_PASSWORD,
# PG_DIR, DATA_DIR); without DB_HOST, the cluster of make run in PG_DIR.
# tools/restore.sh brings an archive back. See README.md, "Backup and restore".
set -euo pipefail
source "$(dirname "$0")/pgclient.sh"
# The archive holds clients' files and personal data.
umask 077

DB=${DB:-lco}
BACKUP_DIR=${BACKUP_DIR:-$ROOT/backups}

use_cluster existing
detect_server "$DB"
addon_version=$(pg_sql "$DB" -c \
    "SELECT latest_version FROM ir_module_module WHERE name = 'lco_module' AND state = 'installed'" \
    2>/dev/null) || true
[ -n "$addon_version" ] || die "database $DB has no lco_module installed: is it the right database?"
PG_DUMP=$(pg_program_for_server pg_dump)

filestore=$DATA_DIR/filestore/$DB
stored=$(pg_sql "$DB" -c "SELECT DISTINCT store_fname FROM ir_attachment WHERE store_fname IS NOT NULL")
if [ -n "$stored" ] && [ ! -d "$filestore" ]; then
    die "database $DB keeps files in a filestore, but $filestore does not exist:" \
        "set DATA_DIR to Odoo's data directory (its data_dir)."
fi
missing=0
while read -r name; do
    [ -z "$name" ] || [ -f "$filestore/$name" ] || missing=$((missing + 1))
done <<<"$stored"
if [ "$missing" -gt 0 ]; then
    echo "WARNING: $missing files of database $DB are missing from $filestore already:" \
        "the backup cannot hold them." >&2
fi

mkdir -p "$BACKUP_DIR"
chmod 700 "$BACKUP_DIR"
work=$(mktemp -d "$BACKUP_DIR/.lco-backup.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The database first, then the files: a file the dump refers to stays in the
# filestore until Odoo's daily garbage collection, while a file added after
# the dump is only one too many.
"$PG_DUMP" "${PG_ARGS[@]}" -d "$DB" -Fc -f "$work/dump.pgc"
pg_sql "$DB" -c "SELECT name, latest_version FROM ir_module_module WHERE state = 'installed'" \
    -F $'\t' >"$work/modules.tsv"
manifest=$(cat <<'PY'
import datetime
import json
import os
import sys

work, db, pg_major, pg_dump_major = sys.argv[1:]
with open(os.path.join(work, "modules.tsv")) as lines:
    modules = dict(line.rstrip("\n").split("\t") for line in lines if line.strip())
manifest = {
    "odoo_dump": "1",
    "lco_backup": "1",
    "db_name": db,
    "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    "version": release["version"],
    "version_info": release["version_info"],
    "major_version": release["major_version"],
    "pg_version": pg_major,
    "pg_dump_version": pg_dump_major,
    "lco_module_version": modules.get("lco_module"),
    "modules": modules,
}
with open(os.path.join(work, "manifest.json"), "w") as file:
    json.dump(manifest, file, indent=1, sort_keys=True)
PY
)
"$PYTHON" -c "$ODOO_RELEASE
$manifest" "$work" "$DB" "$PG_SERVER_MAJOR" "$(program_major "$PG_DUMP")"

# The files of the filestore now: these are checksummed and archived, a file
# added meanwhile waits for the next backup.
: >"$work/files"
if [ -d "$filestore" ]; then
    (cd "$filestore" && find . -type f | sed 's|^\./||' | LC_ALL=C sort) >"$work/files"
fi
{
    (cd "$work" && sha256sum manifest.json dump.pgc)
    if [ -s "$work/files" ]; then
        (cd "$filestore" && tr '\n' '\0' <"$work/files" | xargs -0 sha256sum) | sed 's|  |  filestore/|'
    fi
} >"$work/SHA256SUMS"
archive=$work/archive.tar
tar -cf "$archive" -C "$work" manifest.json SHA256SUMS dump.pgc
mkdir "$work/filestore"
tar -rf "$archive" -C "$work" --no-recursion filestore
if [ -s "$work/files" ]; then
    # filestore/<db>/... goes into the archive as filestore/...
    tar -rf "$archive" -C "$filestore" --transform 's|^|filestore/|' -T "$work/files"
fi
suffix=.tar
if [ -n "${KEY_FILE:-}" ]; then
    [ -r "$KEY_FILE" ] && [ -s "$KEY_FILE" ] || die "KEY_FILE $KEY_FILE is not a readable key file."
    openssl enc -aes-256-cbc -pbkdf2 -iter 200000 -salt -pass "file:$KEY_FILE" \
        -in "$archive" -out "$archive.enc" || die "encrypting the archive failed."
    archive=$archive.enc
    suffix=.tar.enc
fi
target=$BACKUP_DIR/lco-$DB-$(date -u +%Y%m%d-%H%M%S)$suffix
[ ! -e "$target" ] || die "$target exists already: try again in a second."
chmod 600 "$archive"
mv "$archive" "$target"
echo "Database $DB (lco_module $addon_version) and its filestore are backed up in" \
    "$target ($(du -h "$target" | cut -f1))."
echo "Restore it into a new database with: make restore FILE=$target DB=<new name>${KEY_FILE:+ KEY_FILE=$KEY_FILE}"
