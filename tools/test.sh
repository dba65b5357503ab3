#!/usr/bin/env bash
# Run every test on a throwaway PostgreSQL cluster: the addon's Odoo tests,
# then the pytest suite in tests/ (live server over RPC and HTTP, install and
# uninstall, lint). The last line is pytest's summary.
# `tools/test.sh bootstrap` (make test-bootstrap) runs only the tests marked
# bootstrap, which set Odoo up from its source with tools/bootstrap.sh.
set -euo pipefail
source "$(dirname "$0")/common.sh"
require_odoo test
cd "$ROOT"

"$PYTHON" -m pip install -q --disable-pip-version-check -r requirements-test.txt 2>&1 \
    | grep -v "Running pip as the 'root' user" || true
# axe-core (npm, MPL-2.0) for the accessibility test (lco_module/tests/test_accessibility.py and lco_portal's),
# at the version tests/.axe/package-lock.json pins; that test fails, not skips, without it here.
if [ ! -f tests/.axe/node_modules/axe-core/axe.min.js ]; then
    npm ci --prefix tests/.axe --no-audit --no-fund --loglevel=error
fi
export LCO_AXE_REQUIRED=1

work=$(mktemp -d /tmp/lco-test.XXXXXX)
chmod 755 "$work"
cleanup() {
    "$ROOT/tools/pgcluster.sh" stop "$work/pg"
    rm -rf "$work"
}
trap cleanup EXIT

export LCO_DB_HOST LCO_DB_USER=odoo LCO_DB=lco_test LCO_DATA_DIR="$work/data"
# A throwaway cluster: fsync off (PG_FAST=1), unlike the durable one of make run.
LCO_DB_HOST=$(PG_FAST=1 "$ROOT/tools/pgcluster.sh" start "$work/pg" 5432 "$LCO_DB_USER")
export LCO_ADDONS_PATH
LCO_ADDONS_PATH=$(addons_path)
if [ "${1:-}" = bootstrap ]; then
    echo "== pytest: Odoo set up from its source by tools/bootstrap.sh"
    "$PYTHON" -m pytest -p no:cacheprovider -m bootstrap tests
    exit 0
fi

# Two phases on one database. First the base (lco_module and the addons that
# come with it, tools/upgrade.py base), installed and tested alone: it works
# without the satellites. Then the satellites (lco_portal, ...: every other
# addon of the repository) installed on it, and only their tests run. pytest
# then drives the database with everything.
tags() { echo "$1" | tr ',' '\n' | sed 's|^|/|' | paste -sd, -; }
run_odoo_tests() {  # phase, -i addons, test tags
    echo "== Odoo tests ($1): install $2 with demo data and run the tests of $3"
    local start status summary
    start=$(date +%s)
    set +e
    "$PYTHON" -m odoo -d "$LCO_DB" --db_host "$LCO_DB_HOST" --db_user "$LCO_DB_USER" \
        --addons-path "$LCO_ADDONS_PATH" --data-dir "$LCO_DATA_DIR" --http-port "$(free_port)" \
        -i "$2" --test-enable --test-tags "$(tags "$3")" --stop-after-init \
        --log-level=warn --log-handler=odoo.tests.result:INFO 2>&1 | tee "$work/odoo-tests-$1.log"
    status=${PIPESTATUS[0]}
    set -e
    summary=$(grep -o "[0-9]* failed, [0-9]* error(s) of [0-9]* tests" "$work/odoo-tests-$1.log" | tail -n1 || true)
    echo "== Odoo tests ($1): ${summary:-no test summary} in $(( $(date +%s) - start )) s"
    if [ "$status" -ne 0 ] || [ -z "$summary" ] || [[ "$summary" != "0 failed, 0 error(s)"* ]] \
            || [[ "$summary" == *" of 0 tests" ]]; then
        echo "Odoo tests ($1) failed (exit $status)." >&2
        exit 1
    fi
}
base=$("$PYTHON" tools/upgrade.py base)
satellites=$("$PYTHON" tools/upgrade.py satellites)
run_odoo_tests base "$base" "$base"
if [ -n "$satellites" ]; then
    run_odoo_tests satellites "$satellites" "$satellites"
fi
# The code this database was made with, as make run records it (tools/upgrade.py).
PGHOST=$LCO_DB_HOST PGUSER=$LCO_DB_USER "$PYTHON" tools/upgrade.py record "$LCO_DB" || true

# Debian's nginx for tests/test_deploy.py (deploy/nginx-lco.conf): installed
# here when missing and we may (root), its own service stopped again.
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ] && [ "$(id -u)" = 0 ] \
        && command -v apt-get >/dev/null; then
    echo "== installing nginx for the deployment test (apt-get install nginx)"
    if DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx >"$work/nginx-install.log" 2>&1; then
        service nginx stop >/dev/null 2>&1 || true
    else
        tail -n 5 "$work/nginx-install.log" >&2
        echo "WARNING: nginx could not be installed: the deployment test is skipped." >&2
    fi
fi

echo "== pytest: the addon driven from outside, install/uninstall, packaging, lint"
"$PYTHON" -m pytest -p no:cacheprovider tests
