#!/usr/bin/env bash
# make bench: on a throwaway PostgreSQL cluster, a database with lco_module and
# Odoo's project (no demo data), loaded by tools/bench.py with CASES cases
# (default 100,000) and as many project.task, then measured against them. The
# table goes to stdout and to bench/RESULT.md. Not part of make test.
#   CASES=2000 make bench         # a small run while developing
#   BENCH_DIR=/tmp/b make bench   # keep the cluster there; a second run on it
#                                 # only measures again (no new load)
set -euo pipefail
source "$(dirname "$0")/common.sh"
require_odoo test
cd "$ROOT"

export CASES=${CASES:-100000}
keep=${BENCH_DIR:+1}
work=${BENCH_DIR:-$(mktemp -d /tmp/lco-bench.XXXXXX)}
mkdir -p "$work"
chmod 755 "$work"
cleanup() {
    "$ROOT/tools/pgcluster.sh" stop "$work/pg"
    [ -n "$keep" ] || rm -rf "$work"
}
trap cleanup EXIT

db=lco_bench_$CASES
PATH="$PATH:$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
host=$(PG_FAST=1 "$ROOT/tools/pgcluster.sh" start "$work/pg" 5432 odoo)
odoo_args=(-d "$db" --db_host "$host" --db_user odoo --addons-path "$(addons_path)"
    --data-dir "$work/data" --log-level=warn)
if ! psql -h "$host" -U odoo -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" \
        | grep -q 1; then
    echo "== Installing lco_module and project on $db (no demo data)"
    "$PYTHON" -m odoo "${odoo_args[@]}" --http-port "$(free_port)" -i lco_module,project \
        --without-demo=all --stop-after-init
fi
echo "== Loading $CASES cases (if not loaded yet) and measuring"
# nice: the load and the measures share the machine with others.
nice "$PYTHON" tools/bench.py "${odoo_args[@]}"
