# Shared by tools/run.sh and tools/test.sh (sourced, not run).
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Where tools/bootstrap.sh sets Odoo up when python3 cannot import it.
export ODOO_DIR=${ODOO_DIR:-$ROOT/.odoo} VENV_DIR=${VENV_DIR:-$ROOT/.venv}
BASE_PYTHON=${PYTHON:-python3}

has_odoo18() {
    "$1" -c "import odoo.release, sys; sys.exit(odoo.release.version_info[0] != 18)" 2>/dev/null
}

# python3 (or PYTHON), unless it cannot import Odoo 18 (or ODOO_BOOTSTRAP=1)
# and tools/bootstrap.sh made VENV_DIR.
PYTHON=$BASE_PYTHON
if [ -x "$VENV_DIR/bin/python" ] && { [ "${ODOO_BOOTSTRAP:-0}" = 1 ] || ! has_odoo18 "$PYTHON"; }; then
    PYTHON=$VENV_DIR/bin/python
fi

# Odoo 18 for PYTHON, set up in the checkout (.odoo/, .venv/) if need be;
# $1 is what for: run or test (which system packages are needed).
require_odoo() {
    if [ "${ODOO_BOOTSTRAP:-0}" = 1 ] || ! has_odoo18 "$PYTHON"; then
        PYTHON=$BASE_PYTHON "$ROOT/tools/bootstrap.sh" "${1:-run}"
        PYTHON=$VENV_DIR/bin/python
    fi
}

# Odoo's own addons, then this repository, then whatever ODOO_ADDONS_PATH adds.
addons_path() {
    "$PYTHON" - "$ROOT" "${ODOO_ADDONS_PATH:-}" <<'PY'
import os, sys
import odoo
root = os.path.dirname(os.path.dirname(os.path.abspath(odoo.__file__)))
paths = [p for p in (os.path.join(root, "odoo", "addons"), os.path.join(root, "addons")) if os.path.isdir(p)]
paths.append(sys.argv[1])
paths += [p for p in sys.argv[2].split(",") if p]
print(",".join(paths))
PY
}

free_port() {
    "$PYTHON" -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"
}
