#!/usr/bin/env bash
# Serve Odoo with lco_module and its demo data at http://localhost:$HTTP_PORT.
# Without DB_HOST, a durable PostgreSQL cluster is created in PG_DIR (.pg/ of
# this checkout). Odoo listens on 127.0.0.1 only (HTTP_INTERFACE), without
# database manager, with the master password and any settings of yours in
# $DATA_DIR/odoo.conf (made on first use, mode 600). See README.md, "Running
# `make run` safely".
set -euo pipefail
source "$(dirname "$0")/common.sh"
require_odoo run
# The filestore and the sessions hold clients' documents and login tokens.
umask 077

DB=${DB:-lco}
DB_USER=${DB_USER:-odoo}
HTTP_PORT=${HTTP_PORT:-8069}
HTTP_INTERFACE=${HTTP_INTERFACE:-127.0.0.1}
PG_DIR=${PG_DIR:-$ROOT/.pg}
DATA_DIR=${DATA_DIR:-$ROOT/.odoo-data}
DEMO=${DEMO:-1}
# The language(s) of a database made without demo data (DEMO=0), comma
# separated; the first is the organisations' and the administrator's.
LOAD_LANGUAGE=${LOAD_LANGUAGE:-nl_BE}
# 0: one process with threads; n > 0: Odoo's multi-process server, n HTTP
# workers and a long-polling (websocket) process on GEVENT_PORT.
WORKERS=${WORKERS:-0}
GEVENT_PORT=${GEVENT_PORT:-8072}
if ! [[ "$WORKERS" =~ ^[0-9]+$ && "$GEVENT_PORT" =~ ^[0-9]+$ ]]; then
    echo "WORKERS and GEVENT_PORT are numbers: $WORKERS, $GEVENT_PORT." >&2
    exit 2
fi
config=$DATA_DIR/odoo.conf

mkdir -p "$DATA_DIR"
chmod 700 "$DATA_DIR"
if [ ! -s "$config" ]; then
    password=$("$PYTHON" -c "import secrets; print(secrets.token_urlsafe(32))")
    cat >"$config.new" <<EOF
; Odoo's configuration for tools/run.sh (make run), written on its first run.
; Keep it private (mode 600): admin_passwd is the master password of the
; database manager, which stays off (list_db). Add your own settings below,
; e.g. proxy_mode = True behind a reverse proxy (see README.md). The database,
; port and interface come from tools/run.sh's variables and win over this file.
[options]
admin_passwd = $password
list_db = False
EOF
    mv "$config.new" "$config"
fi
chmod 600 "$config"

if [ "$WORKERS" != 0 ]; then
    # The long-polling process runs on gevent, which must patch this python
    # (recent zope.interface/zope.event break it: tools/bootstrap.sh pins them).
    if ! "$PYTHON" -c "import gevent.monkey; gevent.monkey.patch_all()" 2>"$DATA_DIR/gevent-check.log"; then
        echo "WORKERS=$WORKERS needs gevent, but gevent.monkey.patch_all() fails for $PYTHON:" >&2
        tail -n 1 "$DATA_DIR/gevent-check.log" >&2
        echo "The websocket (live updates) would crash in a loop. Install what gevent needs," \
            "e.g. $PYTHON -m pip install zope.interface==7.2 zope.event==5.0 (see README.md," \
            "\"Deployment\"), or serve with WORKERS=0." >&2
        exit 1
    fi
fi

if [ -z "${DB_HOST:-}" ]; then
    DB_HOST=$("$ROOT/tools/pgcluster.sh" start "$PG_DIR" "${DB_PORT:-5432}" "$DB_USER")
fi
args=(-c "$config" -d "$DB" --db_host "$DB_HOST" --db_user "$DB_USER"
      --addons-path "$(addons_path)" --data-dir "$DATA_DIR" --no-database-list)
[ -n "${DB_PORT:-}" ] && args+=(--db_port "$DB_PORT")
[ -n "${DB_PASSWORD:-}" ] && args+=(--db_password "$DB_PASSWORD")

installed=$(PGPASSWORD=${DB_PASSWORD:-} psql -h "$DB_HOST" -p "${DB_PORT:-5432}" -U "$DB_USER" -d "$DB" -tAc \
    "SELECT state FROM ir_module_module WHERE name = 'lco_module'" 2>/dev/null || true)
export PGHOST=$DB_HOST PGPORT=${DB_PORT:-5432} PGUSER=$DB_USER
[ -n "${DB_PASSWORD:-}" ] && export PGPASSWORD=$DB_PASSWORD
if [ -z "$installed" ] || [ "$installed" = uninstalled ]; then
    # Every addon of the repository (tools/upgrade.py new).
    modules=$("$PYTHON" "$ROOT/tools/upgrade.py" new)
    if [ "$DEMO" = 0 ]; then
        # A production database speaks its users' language: Odoo's Dutch
        # (Belgium) loaded, and the organisations' and admin's language set.
        echo "Creating database $DB with $modules in $LOAD_LANGUAGE, without demo data..."
        "$PYTHON" -m odoo "${args[@]}" -i "$modules" --without-demo=all \
            --load-language "$LOAD_LANGUAGE" --stop-after-init --log-level=warn
        psql -d "$DB" -v ON_ERROR_STOP=1 -v lang="${LOAD_LANGUAGE%%,*}" -qX <<'SQL'
UPDATE res_partner SET lang = :'lang'
 WHERE id IN (SELECT partner_id FROM res_company UNION SELECT u.partner_id FROM res_users u JOIN ir_model_data d
                 ON d.model = 'res.users' AND d.res_id = u.id
                 AND d.module = 'base' AND d.name = 'user_admin');
SQL
    else
        echo "Creating database $DB with $modules and their demo data..."
        "$PYTHON" -m odoo "${args[@]}" -i "$modules" --stop-after-init --log-level=warn
    fi
    "$PYTHON" "$ROOT/tools/upgrade.py" record "$DB"
else
    # Code newer than the database (git pull): backed up, then upgraded;
    # a database newer than the code is refused (tools/upgrade.sh).
    export DB DB_HOST DB_USER DATA_DIR PG_DIR ODOO_CONF=$config
    [ -n "${DB_PORT:-}" ] && export DB_PORT
    "$ROOT/tools/upgrade.sh"
fi
# PDFs: wkhtmltopdf fetches the report's stylesheet from report.url (else
# web.base.url, which Odoo records only when an administrator logs in): both
# set for the address served here, so that every PDF (also one a cron or a mail
# prints first) is styled. REPORT_URL overrides; web.base.url is set only while
# it is Odoo's default (http://localhost:8069) and not frozen, so the address an
# administrator recorded (behind a proxy) stays.
case "$HTTP_INTERFACE" in
0.0.0.0 | "") local_host=127.0.0.1 ;;
*:*) local_host="[$HTTP_INTERFACE]" ;;
*) local_host=$HTTP_INTERFACE ;;
esac
REPORT_URL=${REPORT_URL:-http://$local_host:$HTTP_PORT}
[ "$local_host" = 127.0.0.1 ] && base_url=http://localhost:$HTTP_PORT || base_url=$REPORT_URL
psql -d "$DB" -v ON_ERROR_STOP=1 -v report_url="$REPORT_URL" -v base_url="$base_url" -qX <<'SQL'
INSERT INTO ir_config_parameter (key, value, create_date, write_date)
VALUES ('report.url', :'report_url', now() at time zone 'UTC', now() at time zone 'UTC')
ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, write_date = EXCLUDED.write_date;
UPDATE ir_config_parameter SET value = :'base_url', write_date = now() at time zone 'UTC'
 WHERE key = 'web.base.url' AND value = 'http://localhost:8069'
   AND NOT EXISTS (SELECT 1 FROM ir_config_parameter
                    WHERE key = 'web.base.url.freeze' AND lower(value) IN ('true', '1'));
SQL
case "$HTTP_INTERFACE" in
127.0.0.1) where="http://localhost:$HTTP_PORT" ;;
0.0.0.0) where="port $HTTP_PORT of every interface of this machine" ;;
*) where="http://$HTTP_INTERFACE:$HTTP_PORT" ;;
esac
echo "Odoo serves database $DB at $where (logins: see README.md)"
odoo=(-m odoo)
if [ "$WORKERS" != 0 ]; then
    # The multi-process server starts its long-polling process as "python
    # <its own script> gevent": odoo-bin can be that script, odoo/__main__.py
    # (python -m odoo) cannot.
    odoo=("$("$PYTHON" -c 'import odoo, os; print(os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "odoo-bin"))')")
    if [ ! -f "${odoo[0]}" ]; then
        echo "WORKERS=$WORKERS needs Odoo's odoo-bin, not found at ${odoo[0]}." >&2
        exit 1
    fi
    args+=(--workers "$WORKERS" --gevent-port "$GEVENT_PORT")
    echo "$WORKERS HTTP workers; websocket (long-polling) on port $GEVENT_PORT"
fi
exec "$PYTHON" "${odoo[@]}" "${args[@]}" --http-interface "$HTTP_INTERFACE" --http-port "$HTTP_PORT" \
    --db-filter "^$DB\$"
