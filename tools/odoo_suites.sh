#!/usr/bin/env bash
# Run Odoo's own test suites of the modules the addon extends on a new database
# without the addon and on one with it, and list the tests that fail only with
# the addon (regressions the addon causes in Odoo's apps).
#   tools/odoo_suites.sh [MODULE...]    default: calendar contacts portal mail website
# Exits 1 when a test fails only with the addon, 2 when a run gives no result.
# Slow (mail's and website's suites take long): not part of `make test`.
# Logs stay in $ODOO_SUITES_LOGS (default: a new directory under /tmp).
set -euo pipefail
source "$(dirname "$0")/common.sh"
require_odoo
cd "$ROOT"

modules=("$@")
[ ${#modules[@]} -gt 0 ] || modules=(calendar contacts portal mail website)
suites=$(IFS=,; echo "${modules[*]}")
tags=$(printf '/%s,' "${modules[@]}")
tags=${tags%,}

logs=${ODOO_SUITES_LOGS:-$(mktemp -d /tmp/lco-suites-logs.XXXXXX)}
mkdir -p "$logs"
work=$(mktemp -d /tmp/lco-suites.XXXXXX)
chmod 755 "$work"
cleanup() {
    "$ROOT/tools/pgcluster.sh" stop "$work/pg" >/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
db_user=odoo
db_host=$(PG_FAST=1 "$ROOT/tools/pgcluster.sh" start "$work/pg" 5432 "$db_user")
addons=$(addons_path)

# One run: a new database with the modules (and the addon when asked), Odoo's
# tests of the modules, at install and after install, as Odoo's CI runs them.
run_suites() {
    local name=$1 install=$2 start status
    start=$(date +%s)
    echo "== $name: install $install, run the tests of $suites"
    set +e
    "$PYTHON" -m odoo -d "$name" --db_host "$db_host" --db_user "$db_user" \
        --addons-path "$addons" --data-dir "$work/data" --http-port "$(free_port)" \
        -i "$install" --test-enable --test-tags "$tags" --stop-after-init \
        --log-level=warn --log-handler=odoo.tests.result:INFO >"$logs/$name.log" 2>&1
    status=$?
    set -e
    echo "== $name: exit $status, $(grep -o "[0-9]* failed, [0-9]* error(s) of [0-9]* tests" \
        "$logs/$name.log" | tail -n1 || echo "no test summary") in $(( $(date +%s) - start )) s"
}

run_suites without_lco "$suites"
run_suites with_lco "$suites,$("$PYTHON" "$ROOT/tools/upgrade.py" new)"

status=0
"$PYTHON" - "$logs/without_lco.log" "$logs/with_lco.log" <<'PY' || status=$?
import re
import sys

# "... ERROR db odoo.addons.calendar.tests.test_x: FAIL: TestClass.test_y"
TEST = re.compile(r" (?:ERROR|CRITICAL) \S+ (odoo\.addons\.[\w.]+): (FAIL|ERROR): (.+)$")
# Any other error logged (Odoo's CI counts them as failures too).
LOGGED = re.compile(r"^\S+ \S+ \d+ (?:ERROR|CRITICAL) \S+ ([\w.]+): (.+)$")
SUMMARY = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests")


def read(path):
    failed, logged, summary = set(), set(), None
    with open(path, encoding="utf-8", errors="replace") as log:
        for line in log:
            line = line.rstrip("\n")
            if match := TEST.search(line):
                failed.add(f"{match[2]}: {match[1]} {match[3].strip()}")
            elif match := LOGGED.match(line):
                if match[1] != "odoo.tests.result":
                    logged.add(f"{match[1]}: {match[2].strip()}")
            if match := SUMMARY.search(line):
                summary = match
    return failed, logged, summary


without, without_logged, without_summary = read(sys.argv[1])
with_lco, with_logged, with_summary = read(sys.argv[2])
if not without_summary or not with_summary:
    print("A run gave no test summary (install failed?): see the logs.")
    sys.exit(2)
if int(with_summary[3]) < int(without_summary[3]):
    print(
        f"Fewer tests ran with the addon ({with_summary[3]}) than without "
        f"({without_summary[3]}): see the logs."
    )
only_with = sorted(with_lco - without)
if without:
    print(f"Failing without the addon too (not the addon's doing): {len(without)}")
    for test in sorted(without):
        print(f"  {test}")
if with_logged - without_logged:
    print("Errors logged only with the addon (outside a test's result):")
    for line in sorted(with_logged - without_logged):
        print(f"  {line}")
if only_with:
    print(f"Tests failing only with the addon: {len(only_with)}")
    for test in only_with:
        print(f"  {test}")
    sys.exit(1)
print(f"No test fails only with the addon ({with_summary[3]} tests with it).")
PY
echo "Logs: $logs"
exit $status
