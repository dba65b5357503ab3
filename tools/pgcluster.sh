#!/usr/bin/env bash
# Start a private PostgreSQL cluster in DIR (created on first use) and print
# the socket directory Odoo should use as --db_host.
#   tools/pgcluster.sh start DIR PORT ROLE
#   tools/pgcluster.sh stop DIR
# The server refuses to run as root: as root the cluster belongs to the
# "postgres" system user; otherwise it belongs to the caller.
#
# The cluster is durable (fsync, synchronous_commit and full_page_writes at
# PostgreSQL's defaults). PG_FAST=1 turns them off for a throwaway test
# cluster, where a crash may lose what was committed; a running cluster that
# is not durable is restarted durable when started again without PG_FAST
# (once no client is connected to it).
#
# No TCP: only the socket in DIR, which is mode 700, so that only the
# cluster's owner (and root) can connect, and they can read the data files
# anyway; that is why local connections are trusted. ROLE, the role Odoo
# connects as, may create databases but is no superuser (Odoo creates its
# extensions, pg_trgm and unaccent, as owner of its database: both are trusted
# extensions since PostgreSQL 13). Clusters made by older versions of this
# script are brought to these settings at their next start.
set -euo pipefail
action=${1:?start|stop}
dir=$(realpath -m "${2:?cluster directory}")
port=${3:-5432}
role=${4:-odoo}

as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
sql() {
    psql -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -tAqc "$1"
}
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
export PATH="$PATH:${pgbin}"

case "$action" in
start)
    if [ "$role" = postgres ]; then
        echo "$0: Odoo must not connect as the superuser postgres: give another role." >&2
        exit 2
    fi
    # The directories above DIR that are made here are searchable by all
    # (whatever the caller's umask): the cluster's owner must reach DIR.
    (umask 022 && mkdir -p "$(dirname "$dir")")
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    chmod 700 "$dir"
    if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$dir"; then
        echo "$0: the postgres system user, who owns the cluster, cannot reach $dir:" \
             "a directory above it is closed to other users (e.g. mode 700)." \
             "Give it o+x (chmod o+x <directory>) or choose another PG_DIR." >&2
        exit 1
    fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        as_owner initdb -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
            -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
    fi
    options="-k $dir -p $port -c listen_addresses='' -c unix_socket_permissions=0700"
    if [ "${PG_FAST:-0}" = 1 ]; then
        options+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    fi
    # PG_SHARED_BUFFERS=6GB, say: PostgreSQL's own cache (the bench's).
    if [ -n "${PG_SHARED_BUFFERS:-}" ]; then
        options+=" -c shared_buffers=$PG_SHARED_BUFFERS"
    fi
    if as_owner pg_ctl -D "$dir/data" status >/dev/null 2>&1; then
        if [ "${PG_FAST:-0}" != 1 ] && [ "$(sql "SHOW fsync")" = off ]; then
            clients=$(sql "SELECT count(*) FROM pg_stat_activity
                           WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()")
            if [ "$clients" = 0 ]; then
                echo "Restarting the cluster in $dir with fsync on (it ran with fsync off)." >&2
                as_owner pg_ctl -D "$dir/data" -m fast -w stop >/dev/null
                sync
                as_owner pg_ctl -D "$dir/data" -l "$dir/server.log" -w -o "$options" start >/dev/null
            else
                echo "WARNING: the cluster in $dir runs with fsync off and has $clients" \
                     "connections: stop them and start again to make it durable." >&2
            fi
        fi
    else
        as_owner pg_ctl -D "$dir/data" -l "$dir/server.log" -w -o "$options" start >/dev/null
    fi
    if [ "$(sql "SELECT 1 FROM pg_roles WHERE rolname = '$role'")" = 1 ]; then
        sql "ALTER ROLE \"$role\" LOGIN NOSUPERUSER CREATEDB" >/dev/null
    else
        sql "CREATE ROLE \"$role\" LOGIN NOSUPERUSER CREATEDB" >/dev/null
    fi
    echo "$dir"
    ;;
stop)
    as_owner pg_ctl -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    ;;
*)
    echo "usage: [PG_FAST=1] $0 start|stop DIR [PORT] [ROLE]" >&2
    exit 2
    ;;
esac
