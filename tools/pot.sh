#!/usr/bin/env bash
# Export lco_module/i18n/lco_module.pot with Odoo's own exporter (on a
# throwaway database) and merge the new terms into every .po file, where the
# translator fills them in.
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
"$PYTHON" -m odoo "${args[@]}" -i lco_module
"$PYTHON" -m odoo "${args[@]}" --i18n-export=lco_module/i18n/lco_module.pot --modules=lco_module
for po in lco_module/i18n/*.po; do
    [ -e "$po" ] || continue
    msgmerge --quiet --update --backup=none --no-fuzzy-matching "$po" lco_module/i18n/lco_module.pot
done
echo "Updated lco_module/i18n/lco_module.pot; translate the empty msgstr in lco_module/i18n/*.po"
