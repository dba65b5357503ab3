#!/usr/bin/env bash
# Start a private PostgreSQL cluster in DIR (created on first use) and print
# the socket directory Odoo should use as --db_host.
#   tools/pgcluster.sh start DIR PORT ROLE
#   tools/pgcluster.sh stop DIR
# The server refuses to run as root: as root the cluster belongs to the
# "postgres" system user; otherwise it belongs to the caller.
set -euo pipefail
action=${1:?start|stop}
dir=$(realpath -m "${2:?cluster directory}")
port=${3:-5432}
role=${4:-odoo}

as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
export PATH="$PATH:${pgbin}"

case "$action" in
start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        as_owner initdb -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
    fi
    if ! as_owner pg_ctl -D "$dir/data" status >/dev/null 2>&1; then
        as_owner pg_ctl -D "$dir/data" -l "$dir/server.log" -w \
            -o "-k $dir -p $port -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >/dev/null
    fi
    psql -h "$dir" -p "$port" -U postgres -d postgres -tAc \
        "SELECT 1 FROM pg_roles WHERE rolname='$role'" | grep -q 1 \
        || psql -h "$dir" -p "$port" -U postgres -d postgres -qc "CREATE ROLE \"$role\" LOGIN SUPERUSER"
    echo "$dir"
    ;;
stop)
    as_owner pg_ctl -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    ;;
*)
    echo "usage: $0 start|stop DIR [PORT] [ROLE]" >&2
    exit 2
    ;;
esac
