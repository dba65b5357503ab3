"""`make run HTTP_PORT=…` prints styled PDFs from the start: tools/run.sh sets
`report.url` (where wkhtmltopdf fetches the report's stylesheet) and, while it
is still Odoo's default, `web.base.url` for the address it serves, before any
administrator has logged in. Started on a copy of the demo database on a free
port, as an administrator starts it."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import ROOT, _free_port, _setting, serving
from test_backup_restore import copy_database, drop_database, filestore, sql

DB = "lco_run_report_url"


def param(key):
    rows = sql(DB, "SELECT value FROM ir_config_parameter WHERE key = %s", [key])
    return rows[0][0] if rows else None


@pytest.fixture(scope="module")
def served():
    copy_database(_setting("LCO_DB"), DB)
    # As after a first `make run`: Odoo's defaults, the code's checksums recorded
    # (so run.sh serves at once, without an upgrade).
    sql(DB, "DELETE FROM ir_config_parameter WHERE key = 'report.url'")
    sql(
        DB,
        "UPDATE ir_config_parameter SET value = 'http://localhost:8069'"
        " WHERE key = 'web.base.url'",
    )
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DB_PORT", "DB_PASSWORD", "HTTP_INTERFACE", "PG_FAST"}
    }
    env.update(
        PGHOST=_setting("LCO_DB_HOST"),
        PGUSER=_setting("LCO_DB_USER"),
    )
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "upgrade.py"), "record", DB],
        env=env,
        check=True,
    )
    work = Path(tempfile.mkdtemp(prefix="lco-report-url-"))
    data_dir = work / "data"
    (data_dir / "filestore").mkdir(parents=True)
    if filestore(DB).is_dir():
        shutil.copytree(filestore(DB), data_dir / "filestore" / DB)
    port = _free_port()
    env.update(
        PYTHON=sys.executable,
        DB=DB,
        DB_HOST=_setting("LCO_DB_HOST"),
        DB_USER=_setting("LCO_DB_USER"),
        DATA_DIR=str(data_dir),
        HTTP_PORT=str(port),
        UPGRADE_BACKUP="0",
    )
    log = open(work / "run.log", "w")
    process = subprocess.Popen(
        ["bash", str(ROOT / "tools" / "run.sh")],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        assert serving(f"http://127.0.0.1:{port}", process, timeout=300), (
            work / "run.log"
        ).read_text()
        yield port
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()
        shutil.rmtree(work, ignore_errors=True)
        drop_database(DB)


def test_report_url_is_the_served_address(served):
    assert param("report.url") == f"http://127.0.0.1:{served}"


def test_default_base_url_follows_the_port(served):
    assert param("web.base.url") == f"http://localhost:{served}"
