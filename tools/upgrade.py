"""What an upgrade of database DB must do for the code of this checkout, as
click-odoo-update decides it: tools/upgrade.sh runs it (with Odoo's python;
the connection comes from libpq's PGHOST, PGPORT, PGUSER, PGPASSWORD).

    upgrade.py plan DB      prints "update <addons>" and "install <addons>"
                            (comma-separated, one line each, nothing when the
                            database is current); exit 3 with a message when the
                            database is newer than the code
    upgrade.py record DB    stores the checksums of the repository's addons
                            in the database, once it is up to date
    upgrade.py new          prints the addons a new database gets (comma-separated):
                            all of the repository's
    upgrade.py base         prints lco_module and the addons that come with it
    upgrade.py satellites   prints the others: the modules an organisation
                            chooses (lco_portal, ...), which the base works without

The repository's addons are the folders of its root with a __manifest__.py
that is installable. An installed one is updated when its version in the code
is higher than the database's, or when its files changed since the last
update (a checksum of its files, without static/, tests/, *.pot and compiled
files, kept in the system parameter CHECKSUMS; no checksum yet: updated). An
addon that is not installed is installed when its manifest says auto_install:
the repository's way of saying "comes with the others" (lco_privacy_lookup;
Odoo itself installs such an addon only when it is new at the install of its
dependencies, never at an upgrade). The other addons are satellites (lco_portal,
...): a new database gets them, an upgrade installs one only where a migration
of lco_module says so (a part of lco_module that became a module of its own),
never one an administrator uninstalled. Refused: a database whose version of one
of these addons is higher than the code's, or that has one installed that the
code no longer has."""

import ast
import hashlib
import json
import os
import sys
from pathlib import Path

import psycopg2  # Odoo's own driver

ROOT = Path(__file__).resolve().parent.parent
CHECKSUMS = "lco_tools.installed_checksums"
# What a change of needs no update: served from the files, or not loaded.
SKIPPED_DIRS = {"static", "tests", "__pycache__"}
SKIPPED_SUFFIXES = (".pyc", ".pyo", ".pot", "~")
SERIE = "18.0"


def manifest(path):
    return ast.literal_eval((path / "__manifest__.py").read_text())


def addons():
    """The repository's installable addons: {name: manifest}."""
    found = {}
    for path in sorted(ROOT.iterdir()):
        if (path / "__manifest__.py").is_file():
            data = manifest(path)
            if data.get("installable", True):
                found[path.name] = data
    return found


def version(text):
    """'18.0.1.1.0' (or '1.1.0', which Odoo prefixes with its serie) as a
    tuple of numbers."""
    if not text.startswith(SERIE + "."):
        text = f"{SERIE}.{text}"
    return tuple(int(part) for part in text.split(".") if part.isdigit())


def checksum(name):
    digest = hashlib.sha256()
    base = ROOT / name
    for folder, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        for file in sorted(files):
            if file.endswith(SKIPPED_SUFFIXES):
                continue
            path = Path(folder, file)
            digest.update(str(path.relative_to(base)).encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def connect(db):
    return psycopg2.connect(dbname=db)


def installed(cursor):
    cursor.execute(
        "SELECT name, state, latest_version FROM ir_module_module"
        " WHERE state IN ('installed', 'to upgrade', 'to remove')"
    )
    return {name: (state, latest) for name, state, latest in cursor.fetchall()}


def stored_checksums(cursor):
    cursor.execute("SELECT value FROM ir_config_parameter WHERE key = %s", [CHECKSUMS])
    row = cursor.fetchone()
    return json.loads(row[0]) if row else {}


def plan(db):
    code = addons()
    with connect(db) as connection, connection.cursor() as cursor:
        there = installed(cursor)
        known = stored_checksums(cursor)
    newer = []
    for name, (_state, latest) in there.items():
        if name in code:
            if latest and version(latest) > version(code[name]["version"]):
                newer.append(
                    f"{name} {latest} is installed, this checkout has"
                    f" {version_text(code[name]['version'])}"
                )
        elif name in known:
            newer.append(f"{name} is installed, this checkout does not have it")
    if newer:
        sys.exit(
            f"Database {db} is newer than this checkout's code: "
            + "; ".join(newer)
            + ". Serving it with older code would fail (or lose data): check out"
            " the code it was upgraded with (git pull), or restore a backup made"
            " before that upgrade into a new database (make restore)."
        )
    update = [
        name
        for name in code
        if name in there
        and (
            version(there[name][1] or "0") < version(code[name]["version"])
            or known.get(name) != checksum(name)
            or there[name][0] != "installed"
        )
    ]
    install = [
        name for name in code if name not in there and code[name].get("auto_install")
    ]
    if update:
        print("update " + ",".join(update))
    if install:
        print("install " + ",".join(install))


def version_text(text):
    return ".".join(str(part) for part in version(text))


def record(db):
    code = addons()
    with connect(db) as connection, connection.cursor() as cursor:
        there = installed(cursor)
        value = json.dumps(
            {name: checksum(name) for name in code if name in there}, sort_keys=True
        )
        cursor.execute(
            "UPDATE ir_config_parameter SET value = %s, write_date = now()"
            " WHERE key = %s",
            [value, CHECKSUMS],
        )
        if not cursor.rowcount:
            cursor.execute(
                "INSERT INTO ir_config_parameter"
                " (key, value, create_uid, write_uid, create_date, write_date)"
                " VALUES (%s, %s, 1, 1, now(), now())",
                [CHECKSUMS, value],
            )


def base():
    """lco_module and the addons that come with it."""
    code = addons()
    return ["lco_module"] + [
        name for name in code if name != "lco_module" and code[name].get("auto_install")
    ]


def satellites():
    """The repository's other addons: the modules an organisation chooses."""
    return [name for name in addons() if name not in base()]


def new():
    """Every addon of the repository, the base's first."""
    return base() + satellites()


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "plan":
        plan(sys.argv[2])
    elif command == "record":
        record(sys.argv[2])
    elif command in ("new", "base", "satellites"):
        print(",".join({"new": new, "base": base, "satellites": satellites}[command]()))
    else:
        sys.exit(__doc__)
