#!/usr/bin/env bash
# Serve Odoo with lco_module and its demo data at http://localhost:$HTTP_PORT.
# Without DB_HOST, a PostgreSQL cluster is created in .pg/ of this checkout.
set -euo pipefail
source "$(dirname "$0")/common.sh"
require_odoo

DB=${DB:-lco}
DB_USER=${DB_USER:-odoo}
HTTP_PORT=${HTTP_PORT:-8069}
if [ -z "${DB_HOST:-}" ]; then
    DB_HOST=$("$ROOT/tools/pgcluster.sh" start "$ROOT/.pg" "${DB_PORT:-5432}" "$DB_USER")
fi
args=(-d "$DB" --db_host "$DB_HOST" --db_user "$DB_USER" --addons-path "$(addons_path)"
      --data-dir "$ROOT/.odoo-data")
[ -n "${DB_PORT:-}" ] && args+=(--db_port "$DB_PORT")
[ -n "${DB_PASSWORD:-}" ] && args+=(--db_password "$DB_PASSWORD")

installed=$(PGPASSWORD=${DB_PASSWORD:-} psql -h "$DB_HOST" -p "${DB_PORT:-5432}" -U "$DB_USER" -d "$DB" -tAc \
    "SELECT state FROM ir_module_module WHERE name = 'lco_module'" 2>/dev/null || true)
if [ "$installed" != "installed" ]; then
    echo "Creating database $DB with lco_module and its demo data..."
    "$PYTHON" -m odoo "${args[@]}" -i lco_module --stop-after-init --log-level=warn
fi
echo "Odoo serves database $DB at http://localhost:$HTTP_PORT (demo logins: see README.md)"
exec "$PYTHON" -m odoo "${args[@]}" --http-port "$HTTP_PORT" --db-filter "^$DB\$"
