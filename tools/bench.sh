#!/usr/bin/env bash
# make bench: on a throwaway PostgreSQL cluster, per size in CASES a database
# with lco_module, the other addons of this repository, Odoo's project and
# its website task form (website_project; no demo data), loaded by
# tools/bench.py with SQL (as many project.task as cases), checked against
# the ORM (a sample recomputed), then measured over HTTP against a server
# with 2 workers, as the web client calls it, beside the project.task
# equivalents, the screens of every size in turn on one server. One table,
# the sizes side by side, goes to stdout, bench/RESULT.md and README.md. Not
# part of make test.
#   CASES="20000 100000" make bench   # the default: what grows with the data
#   CASES=2000 make bench             # a small run while developing
#   BENCH_DIR=/tmp/b make bench       # keep the cluster there; a second run on
#                                     # it only checks and measures again
#   RUNS=25 (repetitions a screen), BENCH_USERS="10 30" (concurrent users)
set -euo pipefail
source "$(dirname "$0")/common.sh"
require_odoo test
cd "$ROOT"

sizes=${CASES:-20000 100000}
keep=${BENCH_DIR:+1}
work=${BENCH_DIR:-$(mktemp -d /tmp/lco-bench.XXXXXX)}
mkdir -p "$work"
chmod 755 "$work"
server=
cleanup() {
    [ -z "$server" ] || kill "$server" 2>/dev/null || true
    "$ROOT/tools/pgcluster.sh" stop "$work/pg"
    [ -n "$keep" ] || rm -rf "$work"
}
trap cleanup EXIT

PATH="$PATH:$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
# A quarter of the memory for PostgreSQL's own cache, as its documentation
# advises for a dedicated server (the default is 128 MB).
shared_buffers=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 4 / 1024 ))MB
host=$(PG_FAST=1 PG_SHARED_BUFFERS=$shared_buffers "$ROOT/tools/pgcluster.sh" start "$work/pg" 5432 odoo)
# Every addon of this repository (lco_module and those split from it), as a
# production database would have them.
addons=$(for m in */__manifest__.py; do dirname "$m"; done | paste -sd, -)
export BENCH_WORK=$work
odoo_bin=$("$PYTHON" -c "import odoo, os; print(os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), 'odoo-bin'))")
results=()
dbs=()
for n in $sizes; do
    db=lco_bench_$n
    odoo_args=(-d "$db" --db_host "$host" --db_user odoo --addons-path "$(addons_path)"
        --data-dir "$work/data")
    if ! psql -h "$host" -U odoo -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" \
            | grep -q 1; then
        echo "== Installing $addons, project and website_project on $db (no demo data)"
        "$PYTHON" -m odoo "${odoo_args[@]}" --log-level=warn --http-port "$(free_port)" \
            -i "$addons,project,website_project" --without-demo=all --stop-after-init
    fi
    echo "== $n cases: load (if not loaded yet), check against the ORM, in-process measures"
    # nice: the load and the measures share the machine with others.
    CASES=$n nice "$PYTHON" tools/bench.py prepare "${odoo_args[@]}" --log-level=warn
    # What autovacuum does after a bulk insert, at once: statistics, and the
    # visibility map that lets PostgreSQL answer from an index alone.
    psql -h "$host" -U postgres -d "$db" -qc "VACUUM ANALYZE"
    dbs+=("$db")
    results+=("$work/result-$n.json")
done
port=$(free_port)
log=$work/odoo-http.log
: >"$log"
echo "== Odoo with 2 workers on port $port, serving ${dbs[*]}, measuring over HTTP"
# One server for every size, whose screens are measured in turn (see
# run_http in tools/bench.py). odoo-bin, not python -m odoo: the prefork
# server starts its gevent process again from sys.argv[0].
"$PYTHON" "$odoo_bin" --db_host "$host" --db_user odoo --addons-path "$(addons_path)" \
    --data-dir "$work/data" --db-filter '^lco_bench_[0-9]+$' \
    --http-port "$port" --workers 2 --max-cron-threads 0 \
    --limit-time-real 1200 --limit-time-cpu 1200 --log-level=warn \
    --log-handler werkzeug:INFO --logfile "$log" &
server=$!
for _ in $(seq 120); do
    curl -sf "http://127.0.0.1:$port/web/health" >/dev/null && break
    sleep 1
done
"$PYTHON" tools/bench.py http "http://127.0.0.1:$port" "$log" "${dbs[@]}"
kill "$server"
wait "$server" 2>/dev/null || true
server=
BENCH_COMMAND="CASES=\"$sizes\"${RUNS:+ RUNS=$RUNS} make bench" \
    "$PYTHON" tools/bench.py report "${results[@]}"
