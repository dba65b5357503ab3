"""Fixtures that drive a live Odoo server from outside, as real clients do.

`make test` (tools/test.sh) creates the database with the addon and its demo
data and exports where it lives; the fixtures start Odoo servers on it.
"""

import os
import socket
import subprocess
import sys
import time
import xmlrpc.client
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent


def _setting(name):
    value = os.environ.get(name)
    if not value:
        pytest.exit(f"{name} is not set: run this suite through `make test`.", 4)
    return value


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def odoo_command(db, *args):
    """The command line of an Odoo 18 process on the test cluster."""
    return [
        sys.executable,
        "-m",
        "odoo",
        "-d",
        db,
        "--db_host",
        _setting("LCO_DB_HOST"),
        "--db_user",
        _setting("LCO_DB_USER"),
        "--addons-path",
        _setting("LCO_ADDONS_PATH"),
        "--data-dir",
        _setting("LCO_DATA_DIR"),
        *args,
    ]


class OdooServer:
    """An Odoo server process serving one database over HTTP."""

    def __init__(self, db, log_path):
        self.db = db
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = open(log_path, "w")
        self._process = subprocess.Popen(
            odoo_command(
                db,
                "--http-interface",
                "127.0.0.1",
                "--http-port",
                str(self.port),
                "--db-filter",
                f"^{db}$",
                "--workers",
                "0",
                "--max-cron-threads",
                "0",
                "--log-level",
                "warn",
            ),
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self._wait_until_up(log_path)

    def _wait_until_up(self, log_path, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"Odoo stopped: see {Path(log_path).read_text()}")
            try:
                if requests.get(f"{self.url}/web/health", timeout=5).ok:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"Odoo did not answer within {timeout} s")

    def client(self, login, password=None):
        return RpcClient(self.url, self.db, login, password or login)

    def stop(self):
        self._process.terminate()
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
        self._log.close()


class RpcClient:
    """A user logged in over XML-RPC, as an external integration would be."""

    def __init__(self, url, db, login, password):
        self.db = db
        self.password = password
        common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
        self.uid = common.authenticate(db, login, password, {})
        if not self.uid:
            raise AssertionError(f"{login} cannot log in to {db}")
        self._object = xmlrpc.client.ServerProxy(
            f"{url}/xmlrpc/2/object", allow_none=True
        )

    def call(self, model, method, *args, **kwargs):
        return self._object.execute_kw(
            self.db, self.uid, self.password, model, method, list(args), kwargs
        )

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        found = self.call(
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", name)],
            fields=["res_id"],
        )
        assert found, f"no record {xmlid}"
        return found[0]["res_id"]

    def demo_ids(self, *names):
        """Database ids of the addon's demo records, by the name of their xml id."""
        return {name: self.ref(f"lco_module.{name}") for name in names}


@contextmanager
def serving_new_database(db, modules, logs):
    """Odoo serving a new database ``db`` with ``modules`` installed, without
    demo data; its logs go to the directory ``logs``."""
    with open(logs / "install.log", "w") as log:
        subprocess.run(
            odoo_command(
                db,
                "-i",
                modules,
                "--without-demo=all",
                "--stop-after-init",
                "--log-level=warn",
            ),
            stdout=log,
            stderr=subprocess.STDOUT,
            check=True,
        )
    server = OdooServer(db, logs / "server.log")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory):
    """Odoo serving the database with the addon and its demo data."""
    server = OdooServer(
        _setting("LCO_DB"), tmp_path_factory.mktemp("logs") / "demo-server.log"
    )
    yield server
    server.stop()


@pytest.fixture(scope="session")
def admin(demo_server):
    return demo_server.client("admin")


@pytest.fixture(scope="session")
def coordinator(demo_server):
    return demo_server.client("coordinator")


@pytest.fixture(scope="session")
def coordinator2(demo_server):
    return demo_server.client("coordinator2")


@pytest.fixture(scope="session")
def aid_worker(demo_server):
    return demo_server.client("aidworker")
