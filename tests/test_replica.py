"""Reads on a replica (issue 21, finding 6): Odoo with `--db_replica_host`
sends its read-only requests to a PostgreSQL streaming replica of the
primary. The case form's read is one of them: it runs on the replica, and
its access-log line is written on the primary, through a connection of the
log's own that a rollback of the request does not take back.

A throwaway primary (a copy of the demo database) and its replica, made with
`pg_basebackup -R` as the postgres system user, both logging every statement,
are started for this module; an Odoo server runs against both."""

import os
import shutil
import subprocess
import tempfile
from contextlib import closing
from pathlib import Path

import psycopg2
import pytest
from conftest import ROOT, OdooServer, _setting, odoo_command, wait_until
from test_web_client import call_kw, login

PORT = "5432"
CASE_FORM = {
    "name": {},
    "question": {},
    "goals": {},
    "client_id": {"fields": {"display_name": {}}},
    "participant_ids": {"fields": {"display_name": {}}, "limit": 40},
}


def wait_for(condition, timeout=120, what="the condition"):
    """The value of ``condition()`` once it is true, within ``timeout`` seconds."""
    value = wait_until(condition, timeout, interval=0.2)
    if not value:
        raise AssertionError(f"{what} did not hold within {timeout} s")
    return value


def as_postgres(*command, **kwargs):
    """``command`` as the postgres system user, who owns the clusters."""
    if os.getuid() == 0:
        command = ("runuser", "-u", "postgres", "--", *command)
    return subprocess.run(command, check=True, capture_output=True, **kwargs)


def pg_bin(name):
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(found[-1]) if found else name


def query(host, db, sql, params=(), user=None):
    """The rows of ``sql`` on ``db`` of the cluster at ``host``."""
    with closing(
        psycopg2.connect(
            host=host, port=PORT, user=user or _setting("LCO_DB_USER"), dbname=db
        )
    ) as cnx:
        cnx.autocommit = True
        with cnx.cursor() as cr:
            cr.execute(sql, params)
            return cr.fetchall() if cr.description else None


class StatementLog:
    """The statements a cluster logged (log_statement = all) from now on."""

    def __init__(self, path):
        self.path = Path(path)
        self.start = self.path.stat().st_size

    def text(self):
        with open(self.path, "rb") as log:
            log.seek(self.start)
            return log.read().decode(errors="replace")


@pytest.fixture(scope="module")
def clusters():
    """A primary with a copy of the demo database, and its streaming replica:
    (primary socket directory, replica socket directory, their server logs)."""
    base = Path(tempfile.mkdtemp(prefix="lco-rep-", dir="/tmp"))
    base.chmod(0o755)
    primary, replica = base / "p", base / "r"
    db = _setting("LCO_DB")
    started = []
    try:
        subprocess.run(
            [ROOT / "tools" / "pgcluster.sh", "start", primary, PORT, "odoo"],
            check=True,
            capture_output=True,
            env={**os.environ, "PG_FAST": "1"},
        )
        started.append(primary)
        # Every statement in the server logs, the replica's too (its
        # postgresql.auto.conf comes with the base backup).
        query(
            primary,
            "postgres",
            "ALTER SYSTEM SET log_statement = 'all'",
            user="postgres",
        )
        query(primary, "postgres", "SELECT pg_reload_conf()", user="postgres")
        # The demo database, copied from the suite's cluster.
        query(primary, "postgres", f'CREATE DATABASE "{db}"')
        source = ["-h", _setting("LCO_DB_HOST"), "-U", _setting("LCO_DB_USER")]
        dump = subprocess.run(
            ["pg_dump", *source, "-Fc", db], capture_output=True, check=True
        ).stdout
        subprocess.run(
            ["pg_restore", "-h", primary, "-U", "odoo", "--no-owner", "-d", db],
            input=dump,
            check=True,
        )
        # The replica: a base backup of the primary that follows it (-R).
        replica.mkdir(mode=0o700)
        if os.getuid() == 0:
            shutil.chown(replica, "postgres")
        as_postgres(
            pg_bin("pg_basebackup"),
            *("-h", str(primary), "-p", PORT, "-U", "postgres"),
            *("-D", str(replica / "data"), "-R", "-X", "stream", "--checkpoint=fast"),
        )
        options = f"-k {replica} -p {PORT} -c listen_addresses=''"
        as_postgres(
            pg_bin("pg_ctl"),
            *("-D", str(replica / "data"), "-l", str(replica / "server.log")),
            *("-w", "-o", options, "start"),
        )
        started.append(replica)
        assert query(replica, db, "SELECT pg_is_in_recovery()") == [(True,)]
        yield primary, replica, primary / "server.log", replica / "server.log"
    finally:
        for cluster in reversed(started):
            as_postgres(
                pg_bin("pg_ctl"), "-D", str(cluster / "data"), "-m", "fast", "stop"
            )
        shutil.rmtree(base, ignore_errors=True)


def replayed(primary, replica):
    """Whether the replica replayed all the primary wrote so far."""
    [(written,)] = query(primary, "postgres", "SELECT pg_current_wal_lsn()")
    return lambda: query(
        replica, "postgres", "SELECT pg_last_wal_replay_lsn() >= %s", (written,)
    )[0][0]


@pytest.fixture(scope="module")
def data_dir():
    """A data directory of its own, with the copied database's files."""
    path = Path(tempfile.mkdtemp(prefix="lco-rep-data-"))
    db = _setting("LCO_DB")
    files = Path(_setting("LCO_DATA_DIR")) / "filestore" / db
    if files.is_dir():
        shutil.copytree(files, path / "filestore" / db)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def server(clusters, data_dir, tmp_path_factory):
    primary, replica, *_logs = clusters
    wait_for(replayed(primary, replica), what="the replica catching up")
    logs = tmp_path_factory.mktemp("replica-logs")
    odoo = OdooServer(
        _setting("LCO_DB"),
        logs / "odoo.log",
        extra_args=(
            *("--db_host", str(primary), "--db_port", PORT),
            *("--db_replica_host", str(replica), "--db_replica_port", PORT),
            *("--data-dir", str(data_dir)),
        ),
    )
    yield odoo
    odoo.stop()


def test_the_case_form_is_read_on_the_replica_and_logged_on_the_primary(
    clusters, server
):
    primary, replica, primary_log, replica_log = clusters
    db = server.db
    case_id = server.client("admin").ref("lco_module.case_family")
    session = login(server, "coordinator")
    [(coordinator_id,)] = query(
        primary, db, "SELECT id FROM res_users WHERE login = 'coordinator'"
    )
    logged = (
        "SELECT count(*) FROM lco_access_log WHERE user_id = %s"
        " AND res_model = 'lco.case' AND res_id = %s AND action = 'open'"
    )
    [(before,)] = query(primary, db, logged, (coordinator_id, case_id))
    on_primary, on_replica = StatementLog(primary_log), StatementLog(replica_log)

    [case] = call_kw(
        server,
        session,
        "lco.case",
        "web_read",
        [[case_id]],
        {"specification": CASE_FORM},
    )
    assert case["id"] == case_id and case["question"]

    # The form's read ran on the replica, and not again on the primary.
    read = '"lco_case"."question"'
    wait_for(lambda: read in on_replica.text(), 30, "the read in the replica's log")
    assert read not in on_primary.text()
    # Its line in the access log is on the primary, and reaches the replica.
    assert "INSERT INTO lco_access_log" in on_primary.text()
    assert query(primary, db, logged, (coordinator_id, case_id)) == [(before + 1,)]
    wait_for(
        lambda: (
            query(replica, db, logged, (coordinator_id, case_id)) == [(before + 1,)]
        ),
        30,
        "the line replicated",
    )


def test_a_rolled_back_request_keeps_its_line(clusters, server, data_dir):
    """A read whose transaction is rolled back (as a request that fails
    after it) is still in the access log: the line has its own transaction."""
    primary, _replica, *_logs = clusters
    db = server.db
    [(case_id,)] = query(
        primary,
        db,
        "SELECT res_id FROM ir_model_data"
        " WHERE module = 'lco_module' AND name = 'case_family'",
    )
    [(coordinator_id,)] = query(
        primary, db, "SELECT id FROM res_users WHERE login = 'coordinator'"
    )
    logged = (
        "SELECT count(*) FROM lco_access_log WHERE user_id = %s AND res_id = %s"
        " AND res_model = 'lco.case' AND action = 'read'"
    )
    [(before,)] = query(primary, db, logged, (coordinator_id, case_id))
    script = (
        f"case = env['lco.case'].with_user({coordinator_id}).browse({case_id})\n"
        "assert case.read(['question'])[0]['question']\n"
        "env.cr.rollback()\n"
    )
    # Odoo's shell, outside any test mode: `python -m odoo shell -d ...`.
    command = odoo_command(
        db,
        *("--db_host", str(primary), "--db_port", PORT),
        *("--data-dir", str(data_dir), "--no-http", "--log-level", "warn"),
    )
    command = [*command[:3], "shell", *command[3:]]
    result = subprocess.run(
        command, check=False, input=script, text=True, capture_output=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert query(primary, db, logged, (coordinator_id, case_id)) == [(before + 1,)]
