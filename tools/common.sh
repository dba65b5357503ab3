# Shared by tools/run.sh and tools/test.sh (sourced, not run).
PYTHON=${PYTHON:-python3}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

require_odoo() {
    if ! "$PYTHON" -c "import odoo" 2>/dev/null; then
        echo "$PYTHON cannot import odoo: install Odoo 18.0 first (see README.md)." >&2
        exit 1
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
