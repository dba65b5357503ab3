# Shared by tools/backup.sh and tools/restore.sh (sourced, not run): the
# database settings of tools/run.sh (DB_HOST, DB_PORT, DB_USER, DB_PASSWORD,
# PG_DIR, DATA_DIR) and PostgreSQL client programs that fit the server.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

DB_USER=${DB_USER:-odoo}
PG_DIR=${PG_DIR:-$ROOT/.pg}
DATA_DIR=${DATA_DIR:-$ROOT/.odoo-data}
[ -n "${DB_PASSWORD:-}" ] && export PGPASSWORD=$DB_PASSWORD

# Python that sets `release` to Odoo's odoo/release.py (version, major_version)
# without importing all of Odoo, which takes seconds.
ODOO_RELEASE='import importlib.util, os, runpy
spec = importlib.util.find_spec("odoo")
if spec is None:
    raise SystemExit("python3 cannot import odoo: install Odoo 18.0 first (see README.md).")
release = runpy.run_path(os.path.join(os.path.dirname(spec.origin), "release.py"))'

die() {
    echo "$(basename "$0"): $*" >&2
    exit 1
}

# Connect to DB_HOST, or without it to the cluster of make run in PG_DIR,
# which is started if needed and, with "create", made if it does not exist.
use_cluster() {
    if [ -z "${DB_HOST:-}" ]; then
        if [ "$1" != create ] && [ ! -f "$PG_DIR/data/PG_VERSION" ]; then
            die "there is no database cluster of make run in $PG_DIR: set PG_DIR, or DB_HOST" \
                "(and DB_PORT, DB_USER) for a PostgreSQL server of your own."
        fi
        DB_HOST=$("$ROOT/tools/pgcluster.sh" start "$PG_DIR" "${DB_PORT:-5432}" "$DB_USER")
        DB_PORT=${DB_PORT:-5432}
    fi
    PG_ARGS=(-h "$DB_HOST" -U "$DB_USER")
    if [ -n "${DB_PORT:-}" ]; then PG_ARGS+=(-p "$DB_PORT"); fi
}

# The newest PostgreSQL client program NAME: the server's own version first
# (pg_dump must not be older than the server, pg_restore not older than the
# pg_dump that wrote the archive), then the newest installed, then PATH.
pg_program() {
    local dir
    if [ -n "${PG_SERVER_MAJOR:-}" ] && [ -x "/usr/lib/postgresql/$PG_SERVER_MAJOR/bin/$1" ]; then
        echo "/usr/lib/postgresql/$PG_SERVER_MAJOR/bin/$1"
        return
    fi
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
    if [ -n "$dir" ] && [ -x "$dir/$1" ]; then
        echo "$dir/$1"
    elif command -v "$1" >/dev/null; then
        command -v "$1"
    else
        die "$1 (PostgreSQL's client programs) is not installed: apt-get install postgresql-client"
    fi
}

# The major version of a client program ("pg_dump (PostgreSQL) 15.8" -> 15).
program_major() {
    "$1" --version | sed -E 's/.* ([0-9]+)[.0-9]*.*$/\1/;q'
}

# psql on database $1 (quiet, unaligned, stops at the first error).
pg_sql() {
    local db=$1
    shift
    "$PSQL" "${PG_ARGS[@]}" -d "$db" -v ON_ERROR_STOP=1 -X -tAq "$@"
}

# After use_cluster: find psql and learn the server's major version.
detect_server() {
    PSQL=$(pg_program psql)
    local version
    version=$(pg_sql "$1" -c "SHOW server_version_num") \
        || die "cannot connect to PostgreSQL at ${DB_HOST} as ${DB_USER} (database $1)."
    PG_SERVER_MAJOR=$((version / 10000))
}

# The program NAME for this server, refused when older than it.
pg_program_for_server() {
    local program major
    program=$(pg_program "$1")
    major=$(program_major "$program")
    if [ "$major" -lt "$PG_SERVER_MAJOR" ]; then
        die "$program is of PostgreSQL $major, older than the server ($PG_SERVER_MAJOR):" \
            "install the client programs of PostgreSQL $PG_SERVER_MAJOR or newer."
    fi
    echo "$program"
}
