"""Two hosts on one database and one filestore (issue 9): host A and host B of
the `demo_hosts` fixture, each Odoo's multi-process server, as behind a load
balancer. What one host does, the other sees; the locks and numbers that keep
the data right hold across the hosts; crons run on host A only; and
`make run WORKERS=2` starts the multi-process server as these hosts run."""

import itertools
import os
import re
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlencode

import pytest
import requests
from conftest import ROOT, _setting, wait_until
from test_meeting_documents import pdf_text
from test_request_form import posts_this_hour
from test_web_client import login

FORM = "/lco/aanvraag"
RATE_LIMIT = "lco_module.request_rate_limit"


@pytest.fixture(scope="module")
def hosts(demo_hosts):
    return demo_hosts


@pytest.fixture(scope="module")
def case_id(admin):
    return admin.ref("lco_module.case_family")


def test_created_on_one_host_read_changed_and_printed_on_the_other(
    hosts, admin, case_id
):
    host_a, host_b = hosts
    on_a = host_a.client("coordinator")
    on_b = host_b.client("coordinator")
    meeting_id = on_a.call("lco.meeting", "create", {"case_id": case_id})
    report_url = admin.call("ir.config_parameter", "get_param", "report.url")
    try:
        [meeting] = on_b.call("lco.meeting", "read", [meeting_id], ["number", "state"])
        assert meeting["number"] and meeting["state"] == "draft"
        location = "Gemeentehuis, zaal 3 (set on host B)"
        on_b.call("lco.meeting", "write", [meeting_id], {"location": location})
        [changed] = on_a.call("lco.meeting", "read", [meeting_id], ["location"])
        assert changed["location"] == location

        # Printed on host B, with the styles wkhtmltopdf fetches from host A.
        admin.call("ir.config_parameter", "set_param", "report.url", host_a.url)
        session = login(host_b, "coordinator")
        response = session.get(
            f"{host_b.url}/report/pdf/lco_module.report_lco_meeting/{meeting_id}",
            timeout=120,
        )
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "application/pdf"
        text = pdf_text(response.content)
        assert "Verslag van het lokaal cliëntoverleg" in text
        assert "Gemeentehuis, zaal 3" in text
        # The browser session opened on host B goes on on host A.
        html = session.get(
            f"{host_a.url}/report/html/lco_module.report_lco_meeting/{meeting_id}",
            timeout=120,
        )
        assert html.status_code == 200
        assert "Gemeentehuis, zaal 3" in html.text
    finally:
        admin.call("ir.config_parameter", "set_param", "report.url", report_url)
        on_a.call("lco.meeting", "unlink", [meeting_id])


def test_meeting_numbers_stay_unique_across_hosts(hosts, admin, case_id):
    """Six meetings of one case created at once, three on each host."""
    parallel = 6
    clients = [hosts[i % 2].client("coordinator") for i in range(parallel)]
    start = threading.Barrier(parallel)

    def create(client):
        start.wait(timeout=60)
        return client.call("lco.meeting", "create", {"case_id": case_id})

    with ThreadPoolExecutor(parallel) as pool:
        futures = [pool.submit(create, client) for client in clients]
    created = [future.result() for future in futures if not future.exception()]
    try:
        assert [future.exception() for future in futures] == [None] * parallel
        meetings = admin.call("lco.meeting", "read", created, ["number"])
        numbers = {meeting["number"] for meeting in meetings}
        assert len(numbers) == parallel, numbers
        earlier = admin.call(
            "lco.meeting",
            "search_read",
            [("case_id", "=", case_id), ("id", "not in", created)],
            fields=["number"],
        )
        assert not {meeting["number"] for meeting in earlier} & numbers
    finally:
        admin.call("lco.meeting", "unlink", created)


def test_public_form_rate_limit_holds_across_hosts(hosts, admin):
    """Six posts at once from one address, three to each host, three allowed:
    three are stored, and each host refuses some."""
    sent = posts_this_hour(admin)
    limit = admin.call("ir.config_parameter", "get_param", RATE_LIMIT)
    admin.call("ir.config_parameter", "set_param", RATE_LIMIT, sent + 3)
    client_name = "Client of the posts to two hosts"
    posts = 6
    ready = threading.Barrier(posts)
    statuses = {host.url: [] for host in hosts}

    def post(host):
        session = requests.Session()
        page = session.get(f"{host.url}{FORM}", timeout=30)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]
        body = urlencode(
            {
                "csrf_token": token,
                "requester_type": "network",
                "requester_name": "Two Hosts Test",
                "requester_phone": "+32 470 00 00 98",
                "client_name": client_name,
                "client_zip": "3999",
                "question": "Six at once, to two hosts.",
                "urgency": "0",
                "client_informed": "on",
                "client_agrees": "on",
            }
        ).encode()
        ready.wait(timeout=60)
        response = session.post(
            f"{host.url}{FORM}",
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            allow_redirects=False,
            timeout=60,
        )
        statuses[host.url].append(response.status_code)

    threads = [
        threading.Thread(target=post, args=(hosts[i % 2],)) for i in range(posts)
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        stored = admin.call(
            "lco.request", "search", [("client_name", "=", client_name)]
        )
        every = [status for answers in statuses.values() for status in answers]
        assert sorted(every) == [303] * 3 + [429] * 3, statuses
        assert len(stored) == 3
    finally:
        admin.call(
            "lco.request",
            "unlink",
            admin.call("lco.request", "search", [("client_name", "=", client_name)]),
        )
        admin.call("ir.config_parameter", "set_param", RATE_LIMIT, limit or False)

    # One after the other, to host A and host B in turn: the limit reached on
    # one host holds on the other.
    admin.call("ir.config_parameter", "set_param", RATE_LIMIT, sent + 1)
    answers = []
    try:
        for host in (*hosts, *hosts):
            session = requests.Session()
            page = session.get(f"{host.url}{FORM}", timeout=30)
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]
            response = session.post(
                f"{host.url}{FORM}",
                data={
                    "csrf_token": token,
                    "requester_type": "network",
                    "requester_name": "Two Hosts Test",
                    "requester_phone": "+32 470 00 00 98",
                    "client_name": client_name,
                    "client_zip": "3999",
                    "question": "One after the other.",
                    "urgency": "0",
                    "client_informed": "on",
                    "client_agrees": "on",
                },
                allow_redirects=False,
                timeout=60,
            )
            answers.append(response.status_code)
        assert answers == [303, 429, 429, 429]
    finally:
        admin.call(
            "lco.request",
            "unlink",
            admin.call("lco.request", "search", [("client_name", "=", client_name)]),
        )
        admin.call("ir.config_parameter", "set_param", RATE_LIMIT, limit or False)


PROBE = "lco_module.two_hosts_cron_probe"


def test_crons_run_on_host_a_only(hosts, admin):
    """A cron due now runs once, on host A (max-cron-threads 1); host B (0)
    never runs one. Created over host B, it wakes host A's cron worker."""
    host_a, host_b = hosts
    on_b = host_b.client("admin")
    name = "Two hosts: count the runs"
    cron_id = on_b.call(
        "ir.cron",
        "create",
        {
            "name": name,
            "model_id": admin.call(
                "ir.model", "search", [("model", "=", "ir.config_parameter")]
            )[0],
            "state": "code",
            "code": (
                f"runs = int(model.get_param('{PROBE}', '0'))\n"
                f"model.set_param('{PROBE}', str(runs + 1))"
            ),
            "interval_number": 1,
            "interval_type": "days",
            "nextcall": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S"),
        },
    )
    try:
        runs = wait_until(  # woken at once, else within 70 s
            lambda: admin.call(
                "ir.config_parameter",
                "search_read",
                [("key", "=", PROBE)],
                fields=["value"],
            ),
            timeout=150,
            interval=1,
        )
        assert runs and runs[0]["value"] == "1", "the cron did not run within 150 s"
        [cron] = admin.call("ir.cron", "read", [cron_id], ["lastcall"])
        assert cron["lastcall"]
        # The log line of the end of the job follows its commit.
        assert wait_until(
            lambda: re.search(
                rf"Job '{name}' \(\d+\) done", host_a.log_path.read_text()
            ),
            timeout=30,
        )
        assert "odoo.addons.base.models.ir_cron" not in host_b.log_path.read_text()
    finally:
        admin.call("ir.cron", "unlink", [cron_id])
        admin.call(
            "ir.config_parameter",
            "unlink",
            admin.call("ir.config_parameter", "search", [("key", "=", PROBE)]),
        )


def test_make_run_workers_starts_the_multi_process_server(tmp_path):
    """`make run WORKERS=2 GEVENT_PORT=…` (tools/run.sh) on the installed demo
    database starts Odoo as the hosts of this suite run: from odoo-bin (which
    its long-polling process is started again from), with two workers and the
    long-polling port. The Odoo it would become only notes its command line
    here; `demo_hosts` shows that command serving."""
    data_dir = tmp_path / "data"
    started = tmp_path / "odoo-argv"
    # PYTHON for run.sh: Python itself, except where it starts Odoo.
    shim = tmp_path / "python"
    shim.write_text(
        "#!/bin/sh\n"
        'case "$1:$2" in *odoo-bin:* | -m:odoo)\n'
        f'    printf "%s\\n" "$@" > {started}; exit 0 ;;\n'
        "esac\n"
        f'exec {sys.executable} "$@"\n'
    )
    shim.chmod(0o700)
    env = {
        **os.environ,
        "PYTHON": str(shim),
        "DB_HOST": _setting("LCO_DB_HOST"),
        "DB_USER": _setting("LCO_DB_USER"),
        "DB": _setting("LCO_DB"),
        "DATA_DIR": str(data_dir),
        "HTTP_PORT": "18069",
        "WORKERS": "2",
        "GEVENT_PORT": "18072",
        # Only the command line matters here: no backup before an upgrade.
        "UPGRADE_BACKUP": "0",
    }
    done = subprocess.run(
        ["bash", str(ROOT / "tools" / "run.sh")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 HTTP workers; websocket (long-polling) on port 18072" in done.stdout
    argv = started.read_text().splitlines()
    assert Path(argv[0]).name == "odoo-bin" and Path(argv[0]).is_file()
    pairs = set(itertools.pairwise(argv))
    assert {("--workers", "2"), ("--gevent-port", "18072")} <= pairs
    assert {("--http-port", "18069"), ("--http-interface", "127.0.0.1")} <= pairs

    # The threaded server stays the default.
    del env["WORKERS"], env["GEVENT_PORT"]
    done = subprocess.run(
        ["bash", str(ROOT / "tools" / "run.sh")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    argv = started.read_text().splitlines()
    assert argv[:2] == ["-m", "odoo"]
    assert "--workers" not in argv and "--gevent-port" not in argv

    env["WORKERS"] = "two"
    done = subprocess.run(
        ["bash", str(ROOT / "tools" / "run.sh")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "WORKERS and GEVENT_PORT are numbers" in done.stderr
