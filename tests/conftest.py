"""Fixtures that drive a live Odoo server from outside, as real clients do.

`make test` (tools/test.sh) creates the database with the addon and its demo
data and exports where it lives; the fixtures start Odoo servers on it.

The demo database is served as in a production with several hosts: two Odoo
servers (host A and host B) on the one database and data directory (filestore
and sessions), each with Odoo's multi-process server (two HTTP workers and a
long-polling process), crons on host A only, behind a simulated round-robin
load balancer without sticky sessions (`LoadBalancer`): every test of the
suite sends its requests to both hosts in turn.
"""

import importlib.util
import itertools
import os
import socket
import subprocess
import sys
import threading
import time
import xmlrpc.client
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent


def wait_until(condition, timeout, interval=0.5):
    """The first true result of ``condition()`` within ``timeout`` seconds, or
    the last (false) one."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result or time.monotonic() >= deadline:
            return result
        time.sleep(interval)


def serving(url, process=None, timeout=180, **get):
    """Whether Odoo at ``url`` answers /web/health before ``timeout`` seconds
    pass or ``process`` (the one serving it) stops."""

    def state():
        if process is not None and process.poll() is not None:
            return "stopped"
        try:
            return requests.get(f"{url}/web/health", timeout=10, **get).ok
        # Not listening yet, or its workers still loading the registry.
        except (requests.ConnectionError, requests.Timeout):
            return False

    return wait_until(state, timeout) is True


def pytest_collection_modifyitems(items):
    """Tests that leave records of their own in the demo database run last,
    so that the others see the demo data as it was installed."""
    items.sort(key=lambda item: item.get_closest_marker("alters_demo") is not None)


def _setting(name):
    value = os.environ.get(name)
    if not value:
        pytest.exit(f"{name} is not set: run this suite through `make test`.", 4)
    return value


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _odoo_bin():
    """odoo-bin of the Odoo that Python imports: the multi-process server starts
    its long-polling process as `python <its own script> gevent`, which
    odoo/__main__.py (`python -m odoo`) cannot be."""
    package = importlib.util.find_spec("odoo").submodule_search_locations[0]
    return str(Path(package).parent / "odoo-bin")


def odoo_command(db, *args, workers=0):
    """The command line of an Odoo 18 process on the test cluster."""
    launcher = [_odoo_bin()] if workers else ["-m", "odoo"]
    return [
        sys.executable,
        *launcher,
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
    """An Odoo server process serving one database over HTTP.

    ``workers`` > 0: Odoo's multi-process server, with its long-polling
    process on a port of its own; ``max_cron_threads``: its cron workers;
    ``env``: environment variables of its own.
    """

    def __init__(
        self,
        db,
        log_path,
        workers=0,
        max_cron_threads=0,
        extra_args=(),
        wait=True,
        env=None,
    ):
        self.db = db
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(log_path)
        self._log = open(log_path, "w")
        args = [
            "--http-interface",
            "127.0.0.1",
            "--http-port",
            str(self.port),
            "--db-filter",
            f"^{db}$",
            "--workers",
            str(workers),
            "--max-cron-threads",
            str(max_cron_threads),
            "--log-level",
            "warn",
            *extra_args,
        ]
        if workers:
            self.gevent_port = _free_port()
            args += ["--gevent-port", str(self.gevent_port)]
        self._process = subprocess.Popen(
            odoo_command(db, *args, workers=workers),
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
        )
        if wait:
            self.wait_until_up()

    def wait_until_up(self, timeout=180):
        if not serving(self.url, self._process, timeout):
            if self._process.poll() is not None:
                raise RuntimeError(f"Odoo stopped: see {self.log_path.read_text()}")
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


class LoadBalancer:
    """Hosts serving one database behind a round-robin load balancer without
    sticky sessions: each ``url`` asked for, and each XML-RPC call of a
    ``client``, goes to the next host. The sessions are files in the shared
    data directory: a browser session opened on one host goes on on another."""

    def __init__(self, hosts):
        self.hosts = hosts
        self.db = hosts[0].db
        self._turn = itertools.cycle(range(len(hosts)))
        self._lock = threading.Lock()

    def _next(self):
        with self._lock:
            return next(self._turn)

    @property
    def url(self):
        return self.hosts[self._next()].url

    def client(self, login, password=None):
        first = self._next()
        hosts = self.hosts[first:] + self.hosts[:first]
        return RpcClient(
            [host.url for host in hosts], self.db, login, password or login
        )


class RpcClient:
    """A user logged in over XML-RPC, as an external integration would be.

    Given several URLs (hosts behind a load balancer), it logs in on the first
    and sends its calls to each in turn.
    """

    def __init__(self, urls, db, login, password):
        urls = [urls] if isinstance(urls, str) else urls
        self.db = db
        self.password = password
        common = xmlrpc.client.ServerProxy(f"{urls[0]}/xmlrpc/2/common")
        self.uid = common.authenticate(db, login, password, {})
        if not self.uid:
            raise AssertionError(f"{login} cannot log in to {db}")
        self._objects = itertools.cycle(
            [
                xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)
                for url in urls
            ]
        )

    def call(self, model, method, *args, **kwargs):
        return next(self._objects).execute_kw(
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


# Both hosts log each cron job they run: crons run on host A only.
CRON_LOG = ("--log-handler", "odoo.addons.base.models.ir_cron:INFO")
# A cron created or changed wakes the cron workers at once (Odoo's own switch),
# not at their next round a minute later.
CRON_WAKE_UP = {"ODOO_NOTIFY_CRON_CHANGES": "1"}


@pytest.fixture(scope="session")
def demo_hosts(tmp_path_factory):
    """Host A and host B: two multi-process Odoo servers on the database with
    the addon and its demo data, one data directory, crons on host A only."""
    logs = tmp_path_factory.mktemp("logs")
    db = _setting("LCO_DB")
    hosts = [
        OdooServer(
            db,
            logs / f"demo-host-{name}.log",
            workers=2,
            max_cron_threads=crons,
            extra_args=CRON_LOG,
            wait=False,
            env=CRON_WAKE_UP,
        )
        for name, crons in (("a", 1), ("b", 0))
    ]
    try:
        for host in hosts:
            host.wait_until_up()
        yield hosts
    finally:
        for host in hosts:
            host.stop()


@pytest.fixture(scope="session")
def demo_server(demo_hosts):
    """The demo database as the users reach it: host A and host B in turn."""
    return LoadBalancer(demo_hosts)


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
