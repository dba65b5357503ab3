#!/usr/bin/env bash
# Set Odoo 18.0 up inside the checkout, for a python3 that cannot import it:
#   tools/bootstrap.sh run|test
# called by require_odoo (tools/common.sh) of make run (run) and make test
# (test). Each step is skipped when already done:
#  1. tells which system packages are missing, with the apt-get command, and
#     stops when one that the next steps need is missing;
#  2. the Odoo source from ODOO_SOURCE into ODOO_DIR (.odoo/): a git URL is
#     cloned shallow from branch ODOO_BRANCH (18.0), as is a local git
#     repository; a local directory with an Odoo source tree is copied;
#  3. a virtual environment in VENV_DIR (.venv/, made by PYTHON, default
#     python3, with the extra options VENV_OPTIONS) with Odoo's
#     requirements.txt, fixed for this Python, and Odoo itself on its path;
#  4. gevent (the websocket process of WORKERS=n) checked: what it needs is
#     pinned (GEVENT_PINS), and installed again into an older venv.
set -euo pipefail
purpose=${1:-run}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PYTHON=${PYTHON:-python3}
ODOO_SOURCE=${ODOO_SOURCE:-https://github.com/odoo/odoo.git}
ODOO_BRANCH=${ODOO_BRANCH:-18.0}
ODOO_DIR=${ODOO_DIR:-$ROOT/.odoo}
VENV_DIR=${VENV_DIR:-$ROOT/.venv}
# Odoo's own path in the venv, written once its requirements are installed.
PTH=lco-odoo.pth
# gevent's monkey patching fails with zope.interface 8 / zope.event 6 (their
# metadata is not found by the pkg_resources of Python 3.11's setuptools):
# the websocket process of make run WORKERS=n would crash in a loop.
GEVENT_PINS=(zope.interface==7.2 zope.event==5.0)

say() { echo "bootstrap: $*" >&2; }
die() {
    say "$*"
    exit 1
}
has() { command -v "$1" >/dev/null 2>&1; }
apt_command() {
    if [ "$(id -u)" = 0 ]; then echo "apt-get install -y $*"; else echo "sudo apt-get install -y $*"; fi
}
is_source_tree() { [ -f "$1/odoo/release.py" ] && [ -f "$1/requirements.txt" ]; }
venv_done() {
    [ -x "$VENV_DIR/bin/python" ] && [ -f "$("$VENV_DIR/bin/python" -c \
        'import sysconfig; print(sysconfig.get_paths()["purelib"])')/$PTH" ]
}

# 1. System packages: those missing for what is left to do stop us before
# any download; the others only limit what Odoo can do.
check_system() {
    local missing=() optional=() pgbin package
    pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
    if { [ "$purpose" = test ] || [ -z "${DB_HOST:-}" ]; } \
            && ! { [ -x "$pgbin/initdb" ] || has initdb; }; then
        missing+=(postgresql)
    fi
    has psql || missing+=(postgresql-client)
    if [ ! -f "$ODOO_DIR/odoo/release.py" ] && ! is_source_tree "$ODOO_SOURCE"; then
        has git || missing+=(git)
    fi
    if ! venv_done; then
        "$PYTHON" -c "import venv, ensurepip" 2>/dev/null || missing+=(python3-venv)
        [ -f "$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["include"])')/Python.h" ] \
            || missing+=(python3-dev)
        has gcc || missing+=(build-essential)
        has pg_config || missing+=(libpq-dev)            # psycopg2
        [ -f /usr/include/ldap.h ] || missing+=(libldap2-dev)  # python-ldap
        [ -f /usr/include/sasl/sasl.h ] || missing+=(libsasl2-dev)
    fi
    if ! has chromium && ! has chromium-browser && ! has google-chrome; then
        if [ "$purpose" = test ]; then missing+=(chromium); else optional+=(chromium); fi
    fi
    if [ "$purpose" = test ] && ! has nginx && [ ! -x /usr/sbin/nginx ]; then
        optional+=(nginx)
    fi
    has wkhtmltopdf || optional+=(wkhtmltopdf)
    [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || optional+=(fonts-dejavu)
    if [ ${#optional[@]} -gt 0 ]; then
        for package in "${optional[@]}"; do
            case $package in
            chromium) say "WARNING: without Chromium, the browser tests of make test cannot run." ;;
            wkhtmltopdf) say "WARNING: without wkhtmltopdf, reports print as HTML, not PDF." ;;
            fonts-dejavu) say "WARNING: without fonts-dejavu, PDF reports lack their fonts." ;;
            nginx) say "WARNING: without nginx, make test skips the test of deploy/'s nginx configuration." ;;
            esac
        done
        say "Install them with:"
        say "    $(apt_command "${optional[@]}")"
    fi
    if [ ${#missing[@]} -gt 0 ]; then
        say "Odoo cannot be set up for make $purpose: system packages are missing."
        say "Install them with:"
        say "    $(apt_command "${missing[@]}" "${optional[@]}")"
        exit 1
    fi
}

# 2. The Odoo 18.0 source in ODOO_DIR, fetched next to it and then moved, so
# that an interrupted fetch leaves no half tree behind.
fetch_source() {
    local part=$ODOO_DIR.part src=$ODOO_SOURCE
    if [ ! -f "$ODOO_DIR/odoo/release.py" ]; then
        [ -e "$ODOO_DIR" ] && die "$ODOO_DIR exists but holds no Odoo source: remove it."
        rm -rf "$part"
        if is_source_tree "$src"; then
            say "Copying the Odoo source tree $src to $ODOO_DIR (without .git)..."
            mkdir -p "$part"
            tar -C "$src" --exclude=./.git -cf - . | tar -C "$part" -xf -
        else
            [ -d "$src" ] && src=file://$(cd "$src" && pwd)
            say "Cloning Odoo $ODOO_BRANCH from $src into $ODOO_DIR (shallow, about 1 GB)..."
            git clone --depth 1 --branch "$ODOO_BRANCH" "$src" "$part"
        fi
        mv "$part" "$ODOO_DIR"
    fi
    grep -q "^version_info = (18, 0," "$ODOO_DIR/odoo/release.py" \
        || die "$ODOO_DIR holds no Odoo 18.0 (see its odoo/release.py): remove it and" \
               "give ODOO_SOURCE (and ODOO_BRANCH) of Odoo 18.0."
}

# 3. The venv with Odoo's requirements, then Odoo on its path (a .pth file:
# like pip install -e, without building anything).
make_venv() {
    local site requirements
    if [ ! -x "$VENV_DIR/bin/python" ]; then
        "$PYTHON" -c 'import sys; sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 13))' \
            || die "$PYTHON is $("$PYTHON" -V 2>&1); Odoo 18 needs Python 3.10 to 3.13:" \
                   "give another one as PYTHON=..."
        say "Creating the virtual environment $VENV_DIR with $("$PYTHON" -V 2>&1)..."
        "$PYTHON" -m venv ${VENV_OPTIONS:-} "$VENV_DIR"
    fi
    venv_done && return 0
    # cbor2 5.4.2 has no wheel for Python 3.11 and its sdist no longer builds.
    requirements=$VENV_DIR/odoo-requirements.txt
    sed -e 's/^cbor2==5\.4\.2\b/cbor2==5.6.5/' "$ODOO_DIR/requirements.txt" >"$requirements"
    printf '%s\n' "${GEVENT_PINS[@]}" >>"$requirements"
    say "Installing Odoo's requirements into $VENV_DIR (a few minutes the first time)..."
    "$VENV_DIR/bin/python" -m pip install --disable-pip-version-check -r "$requirements" >&2
    site=$("$VENV_DIR/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    (cd "$ODOO_DIR" && pwd) >"$site/$PTH"
    "$VENV_DIR/bin/python" -c "import odoo.release" \
        || die "$VENV_DIR/bin/python cannot import the Odoo of $ODOO_DIR."
    say "Odoo 18.0 of $ODOO_DIR is set up in $VENV_DIR (in $SECONDS s)."
}

# 4. gevent must patch the venv's python.
gevent_patches() {
    "$VENV_DIR/bin/python" -c "import gevent.monkey; gevent.monkey.patch_all()" 2>/dev/null
}
check_gevent() {
    gevent_patches && return 0
    say "gevent cannot patch $VENV_DIR/bin/python: installing ${GEVENT_PINS[*]}..."
    "$VENV_DIR/bin/python" -m pip install --disable-pip-version-check "${GEVENT_PINS[@]}" >&2
    gevent_patches || die "gevent.monkey.patch_all() still fails for $VENV_DIR/bin/python:" \
        "make run WORKERS=n would lose its websocket (see README.md, \"Deployment\")."
}

check_system
fetch_source
make_venv
check_gevent
