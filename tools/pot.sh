#!/usr/bin/env bash
# Export the .pot of every addon of the repository (lco_module/i18n/lco_module.pot,
# lco_portal's, ...) with Odoo's
# own exporter (on a throwaway database) and merge the new terms into every .po
# file, where the translator fills them in.
set -euo pipefail
source "$(dirname "$0")/common.sh"
require_odoo
cd "$ROOT"

work=$(mktemp -d /tmp/lco-pot.XXXXXX)
chmod 755 "$work"
trap '"$ROOT/tools/pgcluster.sh" stop "$work/pg"; rm -rf "$work"' EXIT
host=$("$ROOT/tools/pgcluster.sh" start "$work/pg" 5432 odoo)
args=(-d lco_pot --db_host "$host" --db_user odoo --addons-path "$(addons_path)"
      --data-dir "$work/data" --without-demo=all --stop-after-init --log-level=warn)
# Every addon of the repository: each has its own .pot and .po files.
IFS=, read -r -a addons <<< "$("$PYTHON" tools/upgrade.py new)"
"$PYTHON" -m odoo "${args[@]}" -i "$(IFS=,; echo "${addons[*]}")"
for addon in "${addons[@]}"; do
    "$PYTHON" -m odoo "${args[@]}" --i18n-export="$addon/i18n/$addon.pot" --modules="$addon"
    for po in "$addon"/i18n/*.po; do
        [ -e "$po" ] || continue
        msgmerge --quiet --update --backup=none --no-fuzzy-matching "$po" "$addon/i18n/$addon.pot"
    done
    echo "Updated $addon/i18n/$addon.pot; translate the empty msgstr in $addon/i18n/*.po"
done
