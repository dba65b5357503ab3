"""Live updates with workers: the web client's websocket on the long-polling
(gevent) port of a multi-process server receives a bus notification, as a
user's browser does when a colleague writes to him; and `make run WORKERS=…`
refuses to start where gevent cannot patch its python (the long-polling
process would crash in a loop)."""

import json
import os
import subprocess
import sys
import time

import websocket
from conftest import ROOT, _setting
from test_web_client import login

# No notification within this many seconds: the websocket is dead.
DEADLINE = 60


def open_websocket(host, session):
    """The websocket of ``session``'s browser on ``host``'s long-polling port,
    subscribed to the user's channels."""
    port = host.gevent_port
    ws = websocket.create_connection(
        f"ws://127.0.0.1:{port}/websocket",
        # Odoo keeps the session only for a websocket of the same origin.
        origin=f"http://127.0.0.1:{port}",
        cookie=f"session_id={session.cookies['session_id']}",
        timeout=DEADLINE,
    )
    ws.send(
        json.dumps({"event_name": "subscribe", "data": {"channels": [], "last": 0}})
    )
    return ws


def wait_for(ws, condition):
    """The first notification that meets ``condition``, before the deadline."""
    deadline = time.monotonic() + DEADLINE
    seen = []
    while time.monotonic() < deadline:
        ws.settimeout(max(deadline - time.monotonic(), 0.1))
        try:
            frame = ws.recv()
        except websocket.WebSocketTimeoutException:
            break
        for notification in json.loads(frame):
            message = notification["message"]
            if condition(message):
                return message
            seen.append(message["type"])
    raise AssertionError(f"no such notification within {DEADLINE} s; saw {seen}")


def test_chat_message_arrives_on_the_websocket(demo_hosts, coordinator, aid_worker):
    host = demo_hosts[0]
    [me] = coordinator.call("res.users", "read", [coordinator.uid], ["partner_id"])
    partner_id = me["partner_id"][0]
    # The aid worker opens a chat with the coordinator before the coordinator's
    # browser subscribes: its channel is one of his.
    aid_worker.call("discuss.channel", "channel_get", [partner_id])
    [channel_id] = aid_worker.call(
        "discuss.channel",
        "search",
        [
            ("channel_type", "=", "chat"),
            ("channel_member_ids.partner_id", "=", partner_id),
            ("is_member", "=", True),
        ],
        limit=1,
    )
    ws = open_websocket(host, login(host, "coordinator"))
    try:
        text = f"Websocket probe {time.monotonic_ns()}"
        aid_worker.call(
            "discuss.channel",
            "message_post",
            [channel_id],
            body=text,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        message = wait_for(ws, lambda message: text in json.dumps(message))
        assert message["type"] in {"discuss.channel/new_message", "mail.record/insert"}
    finally:
        ws.close()


def test_make_run_workers_refuses_without_gevent(tmp_path):
    """A python whose gevent cannot patch: make run WORKERS=2 stops at once
    with what to do, before touching the database."""
    shim = tmp_path / "python"
    shim.write_text(
        "#!/bin/sh\n"
        'case "$2" in *gevent*)\n'
        "    echo \"ImportError: cannot import name 'Interface' from"
        " 'zope.interface'\" >&2; exit 1 ;;\n"
        "esac\n"
        f'exec {sys.executable} "$@"\n'
    )
    shim.chmod(0o700)
    done = subprocess.run(
        ["bash", str(ROOT / "tools" / "run.sh")],
        env={
            **os.environ,
            "PYTHON": str(shim),
            "DB_HOST": _setting("LCO_DB_HOST"),
            "DB_USER": _setting("LCO_DB_USER"),
            "DB": _setting("LCO_DB"),
            "DATA_DIR": str(tmp_path / "data"),
            "WORKERS": "2",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "gevent.monkey.patch_all() fails" in done.stderr
    assert "zope.interface==7.2 zope.event==5.0" in done.stderr
    assert "Creating database" not in done.stdout
    assert "Odoo serves" not in done.stdout
