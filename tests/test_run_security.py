"""`make run` is safe to leave running: tools/run.sh from a fresh state, in a
temporary directory, as an administrator starts it for real.

Odoo answers on 127.0.0.1 only, has no database manager and a generated master
password in a private config file; the PostgreSQL cluster is durable, reachable
by its owner only, and Odoo's role is no superuser. A cluster made by the old
script (fsync off, superuser role, open socket directory) is brought to that
state when `make run` starts again.
"""

import configparser
import os
import pwd
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import xmlrpc.client
from pathlib import Path

import pytest
import requests
from conftest import serving

ROOT = Path(__file__).resolve().parent.parent
DB = "lco_run"
ROLE = "odoo"
PG_PORT = "5432"  # the socket lives in the test's own directory: no clash
AS_ROOT = os.geteuid() == 0


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def has_user(name):
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def as_cluster_owner(*command):
    """The command as the cluster's owner: "postgres" when we are root."""
    prefix = ["runuser", "-u", "postgres", "--"] if AS_ROOT else []
    return [*prefix, *command]


def pg_bin(tool):
    found = shutil.which(tool)
    if found:
        return found
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    return str(versions[-1] / tool)


class RunSh:
    """tools/run.sh in a temporary checkout state (PG_DIR, DATA_DIR)."""

    def __init__(self, work):
        self.work = work
        self.pg_dir = work / "pg"
        self.data_dir = work / "data"
        self.config = self.data_dir / "odoo.conf"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._process = None
        self._log = None

    def start(self, log_name, timeout):
        env = {
            name: value
            for name, value in os.environ.items()
            if name not in {"DB_HOST", "DB_PORT", "DB_USER", "DB_PASSWORD", "PG_FAST"}
            and name not in {"HTTP_INTERFACE", "HTTP_PORT", "DEMO", "DB"}
        }
        env.update(
            PYTHON=sys.executable,
            PG_DIR=str(self.pg_dir),
            DATA_DIR=str(self.data_dir),
            DB=DB,
            HTTP_PORT=str(self.port),
            # The addon's own install with demo data is what `make test`
            # already does; here the server matters, so no demo data.
            DEMO="0",
        )
        self._log = open(self.work / log_name, "w")
        self._process = subprocess.Popen(
            ["bash", str(ROOT / "tools" / "run.sh")],
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        if serving(self.url, self._process, timeout):
            return
        if self._process.poll() is not None:
            raise RuntimeError(
                f"tools/run.sh stopped: {(self.work / log_name).read_text()}"
            )
        self.stop()
        raise RuntimeError(f"tools/run.sh did not serve within {timeout} s")

    def stop(self):
        if self._process and self._process.poll() is None:
            # Our own session: run.sh, or the Odoo it became, and its children.
            os.killpg(self._process.pid, signal.SIGTERM)
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self._process.pid, signal.SIGKILL)
                self._process.wait()
        if self._log:
            self._log.close()
            self._log = None

    def psql(self, sql, user=ROLE, run_as=None):
        command = [
            pg_bin("psql"),
            "-h",
            str(self.pg_dir),
            "-p",
            PG_PORT,
            "-U",
            user,
            "-d",
            "postgres" if user == "postgres" else DB,
            "-tAc",
            sql,
        ]
        if run_as:
            command = ["runuser", "-u", run_as, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=False)

    def admin_passwd(self):
        parser = configparser.RawConfigParser()
        parser.read(self.config)
        return parser.get("options", "admin_passwd")


@pytest.fixture(scope="module")
def run_sh():
    # Not under pytest's tmp_path (mode 700, root's): as root the cluster
    # belongs to "postgres", who must reach its directory.
    work = Path(tempfile.mkdtemp(prefix="lco-run-", dir="/tmp"))
    work.chmod(0o755)
    run = RunSh(work)
    try:
        run.start("first-run.log", timeout=300)
        yield run
    finally:
        run.stop()
        subprocess.run(
            [str(ROOT / "tools" / "pgcluster.sh"), "stop", str(run.pg_dir)],
            check=False,
        )
        shutil.rmtree(work, ignore_errors=True)


def listening_addresses(port):
    """Local addresses of the TCP sockets listening on ``port``."""
    found = set()
    for table, family in (("/proc/net/tcp", socket.AF_INET), ("/proc/net/tcp6", None)):
        if not os.path.exists(table):
            continue
        with open(table) as lines:
            next(lines)
            for line in lines:
                local, state = line.split()[1], line.split()[3]
                address, hex_port = local.split(":")
                if state != "0A" or int(hex_port, 16) != port:
                    continue
                if family == socket.AF_INET:
                    found.add(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
                else:
                    found.add(f"IPv6 {address}")
    return found


def test_odoo_listens_on_loopback_only(run_sh):
    assert listening_addresses(run_sh.port) == {"127.0.0.1"}


def test_addon_served_with_its_role(run_sh):
    """The non-superuser role created the database and installed the addon."""
    common = xmlrpc.client.ServerProxy(f"{run_sh.url}/xmlrpc/2/common")
    uid = common.authenticate(DB, "admin", "admin", {})
    assert uid
    models = xmlrpc.client.ServerProxy(f"{run_sh.url}/xmlrpc/2/object")
    [module] = models.execute_kw(
        DB,
        uid,
        "admin",
        "ir.module.module",
        "search_read",
        [[("name", "=", "lco_module")]],
        {"fields": ["state"]},
    )
    assert module["state"] == "installed"
    assert "pg_trgm" in run_sh.psql("SELECT extname FROM pg_extension").stdout.split()


def test_database_manager_is_refused(run_sh):
    password = run_sh.admin_passwd()
    db_service = xmlrpc.client.ServerProxy(f"{run_sh.url}/xmlrpc/2/db")
    assert db_service.server_version().startswith("18.")
    with pytest.raises(xmlrpc.client.Fault, match="Access Denied"):
        db_service.list()
    for master in ("admin", password):
        with pytest.raises(xmlrpc.client.Fault, match="Access Denied"):
            db_service.dump(master, DB, "zip")
        with pytest.raises(xmlrpc.client.Fault, match="Access Denied"):
            db_service.drop(master, DB)

    listed = requests.post(
        f"{run_sh.url}/web/database/list",
        json={"jsonrpc": "2.0", "method": "call", "params": {}},
        timeout=30,
    ).json()
    assert "error" in listed and "result" not in listed
    backup = requests.post(
        f"{run_sh.url}/web/database/backup",
        data={"master_pwd": password, "name": DB, "backup_format": "zip"},
        timeout=60,
    )
    assert "octet-stream" not in backup.headers.get("Content-Type", "")
    assert not backup.content.startswith(b"PK"), "a zip archive of the database"
    assert run_sh.admin_passwd() == password


def test_config_is_private_with_generated_master_password(run_sh):
    assert mode(run_sh.config) == 0o600
    assert mode(run_sh.data_dir) == 0o700
    password = run_sh.admin_passwd()
    assert password not in ("", "admin")
    assert len(password) >= 32
    parser = configparser.RawConfigParser()
    parser.read(run_sh.config)
    assert parser.get("options", "list_db") == "False"


def test_cluster_is_durable(run_sh):
    for setting in ("fsync", "synchronous_commit", "full_page_writes"):
        assert run_sh.psql(f"SHOW {setting}").stdout.strip() == "on", setting
    assert run_sh.psql("SHOW listen_addresses").stdout.strip() == ""


def test_cluster_trusts_no_other_local_user(run_sh):
    assert mode(run_sh.pg_dir) == 0o700
    assert mode(run_sh.pg_dir / f".s.PGSQL.{PG_PORT}") == 0o700
    assert run_sh.psql(
        f"SELECT rolsuper, rolcreatedb FROM pg_roles WHERE rolname = '{ROLE}'"
    ).stdout.split() == ["f|t"]
    if AS_ROOT and has_user("nobody"):
        # Any other account of the machine, here "nobody", cannot connect.
        for user in (ROLE, "postgres"):
            refused = run_sh.psql("SELECT 1", user=user, run_as="nobody")
            assert refused.returncode != 0
            assert "Permission denied" in refused.stderr, refused.stderr


def test_old_cluster_is_made_safe_on_next_run(run_sh):
    """A cluster as the former pgcluster.sh left it running, then `make run`."""
    password = run_sh.admin_passwd()
    run_sh.stop()
    data = str(run_sh.pg_dir / "data")
    subprocess.run(
        as_cluster_owner(pg_bin("pg_ctl"), "-D", data, "-m", "fast", "-w", "stop"),
        check=True,
        capture_output=True,
    )
    old_options = (
        f"-k {run_sh.pg_dir} -p {PG_PORT} -c listen_addresses='' "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    )
    subprocess.run(
        as_cluster_owner(
            pg_bin("pg_ctl"),
            "-D",
            data,
            "-l",
            str(run_sh.pg_dir / "server.log"),
            "-w",
            "-o",
            old_options,
            "start",
        ),
        check=True,
        capture_output=True,
    )
    run_sh.pg_dir.chmod(0o755)
    promoted = run_sh.psql(f'ALTER ROLE "{ROLE}" SUPERUSER', user="postgres")
    assert promoted.returncode == 0, promoted.stderr
    assert run_sh.psql("SHOW fsync").stdout.strip() == "off"

    run_sh.start("second-run.log", timeout=120)

    assert run_sh.admin_passwd() == password, "the config file is reused"
    assert mode(run_sh.config) == 0o600
    assert mode(run_sh.pg_dir) == 0o700
    assert run_sh.psql("SHOW fsync").stdout.strip() == "on"
    assert run_sh.psql(
        f"SELECT rolsuper FROM pg_roles WHERE rolname = '{ROLE}'"
    ).stdout.split() == ["f"]
    assert listening_addresses(run_sh.port) == {"127.0.0.1"}


@pytest.mark.skipif(not AS_ROOT, reason="the cluster belongs to postgres as root only")
def test_pg_dir_in_new_directories_as_root():
    """PG_DIR in directories that do not exist yet, made by root under make
    run's umask 077: the cluster's owner (postgres) still reaches it; a PG_DIR
    he cannot reach is refused with what to do, not initdb's raw error."""
    work = Path(tempfile.mkdtemp(prefix="lco-pgdir-", dir="/tmp"))
    work.chmod(0o755)
    pg_dir = work / "srv" / "lco" / "pg"
    script = str(ROOT / "tools" / "pgcluster.sh")
    try:
        done = subprocess.run(
            ["bash", "-c", f'umask 077; "{script}" start "{pg_dir}" 5432 odoo'],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == str(pg_dir)
        assert pwd.getpwuid(os.stat(pg_dir / "data").st_uid).pw_name == "postgres"

        closed = work / "closed"
        closed.mkdir(mode=0o700)
        done = subprocess.run(
            [script, "start", str(closed / "pg"), "5432", "odoo"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 1
        assert "cannot reach" in done.stderr and "o+x" in done.stderr
        assert "initdb" not in done.stderr
    finally:
        subprocess.run([script, "stop", str(pg_dir)], check=False)
        shutil.rmtree(work, ignore_errors=True)


def test_production_database_speaks_dutch(run_sh):
    """DEMO=0 makes a database for real use: Odoo's Dutch (Belgium) is loaded
    and is the language of every organisation and of the administrator, so
    the public form, the mails and the reports are Dutch from the start."""
    done = run_sh.psql("SELECT code FROM res_lang WHERE active ORDER BY code")
    assert "nl_BE" in done.stdout.split(), done.stdout + done.stderr
    done = run_sh.psql(
        "SELECT DISTINCT p.lang FROM res_company c JOIN res_partner p"
        " ON p.id = c.partner_id"
    )
    assert done.stdout.split() == ["nl_BE"], done.stdout + done.stderr
    done = run_sh.psql(
        "SELECT p.lang FROM res_users u JOIN res_partner p ON p.id = u.partner_id"
        " WHERE u.login = 'admin'"
    )
    assert done.stdout.split() == ["nl_BE"], done.stdout + done.stderr
    done = run_sh.psql(
        "SELECT value FROM ir_config_parameter"
        " WHERE key = 'lco_tools.installed_checksums'"
    )
    assert "lco_module" in done.stdout, "make run knows the code it installed"
