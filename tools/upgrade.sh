#!/usr/bin/env bash
# Bring database DB up to the code of this checkout (make upgrade DB=...; make
# run does it before serving):
#  1. tools/upgrade.py decides: the repository's addons whose version or files
#     changed are updated, its auto_install addons not yet installed are
#     installed; a database newer than the code is refused;
#  2. nothing to do: says so and stops;
#  3. backs the database up first (tools/backup.sh into BACKUP_DIR;
#     UPGRADE_BACKUP=0 skips it, e.g. for a throwaway copy);
#  4. runs Odoo once with -u/-i and --stop-after-init, then records the
#     checksums of the code it was upgraded with.
# Same variables as tools/run.sh (DB, DB_HOST, DB_PORT, DB_USER, DB_PASSWORD,
# PG_DIR, DATA_DIR), ODOO_CONF (Odoo's configuration file, default
# $DATA_DIR/odoo.conf when it exists). Stop the Odoo serving DB first. See
# README.md, "Upgrading".
set -euo pipefail
source "$(dirname "$0")/pgclient.sh"
umask 077

[ -n "${DB:-}" ] || die "which database? make upgrade DB=<name>"
require_odoo run
use_cluster existing
detect_server "$DB"
addon=$(pg_sql "$DB" -c \
    "SELECT state FROM ir_module_module WHERE name = 'lco_module'" 2>/dev/null) || true
[ "$addon" = installed ] || [ "$addon" = "to upgrade" ] \
    || die "database $DB has no lco_module installed: is it the right database?"

export PGHOST=$DB_HOST PGUSER=$DB_USER
[ -n "${DB_PORT:-}" ] && export PGPORT=$DB_PORT
plan=$("$PYTHON" "$ROOT/tools/upgrade.py" plan "$DB") || exit 3
update=$(sed -n 's/^update //p' <<<"$plan")
install=$(sed -n 's/^install //p' <<<"$plan")
if [ -z "$update$install" ]; then
    echo "Database $DB is up to date with the code."
    exit 0
fi
echo "Database $DB is older than the code:${update:+ update $update;}${install:+ install $install;}" \
    "upgrading it."

backup=
if [ "${UPGRADE_BACKUP:-1}" != 0 ]; then
    export DB DB_HOST DB_USER DATA_DIR PG_DIR
    [ -n "${DB_PORT:-}" ] && export DB_PORT
    output=$("$ROOT/tools/backup.sh") || die "the backup before the upgrade failed: nothing" \
        "was changed. Fix it (see above), or upgrade without one with UPGRADE_BACKUP=0."
    echo "$output"
    backup=$(sed -n 's/.*backed up in \(.*\) ([^)]*)\.$/\1/p' <<<"$output" | head -n1)
fi

config=${ODOO_CONF:-$DATA_DIR/odoo.conf}
args=(-d "$DB" --db_host "$DB_HOST" --db_user "$DB_USER" --addons-path "$(addons_path)"
      --data-dir "$DATA_DIR" --no-http --stop-after-init --log-level=warn)
[ -f "$config" ] && args=(-c "$config" "${args[@]}")
[ -n "${DB_PORT:-}" ] && args+=(--db_port "$DB_PORT")
[ -n "${DB_PASSWORD:-}" ] && args+=(--db_password "$DB_PASSWORD")
[ -n "$update" ] && args+=(-u "$update")
[ -n "$install" ] && args+=(-i "$install")
if ! "$PYTHON" -m odoo "${args[@]}"; then
    echo "upgrade.sh: the upgrade of database $DB failed (see Odoo's messages above)." >&2
    if [ -n "$backup" ]; then
        echo "Its state before the upgrade is in $backup: restore it with" \
            "make restore FILE=$backup DB=<new name>." >&2
    fi
    exit 1
fi
"$PYTHON" "$ROOT/tools/upgrade.py" record "$DB"
echo "Database $DB is upgraded${backup:+ (its state before: $backup)}."
