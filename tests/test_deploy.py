"""The deployment of README's "Deploying", followed as an administrator would:
deploy/nginx-lco.conf, with Debian's nginx, in front of Odoo's multi-process
server (two workers, proxy mode): a login, a websocket notification and a
5 MB upload pass through HTTPS. The configuration file is used as shipped;
only its ports, server addresses and certificate paths are replaced by the
test's own. deploy/lco-odoo.service runs as a user that is not root and logs
to a file.

nginx is not installed by this test: tools/test.sh installs it (as root,
with apt-get) where it is missing; elsewhere the test is skipped."""

import base64
import configparser
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import requests
import websocket
from conftest import ROOT, OdooServer, _free_port, _setting, serving
from test_backup_restore import copy_database, drop_database
from test_websocket import wait_for

NGINX = shutil.which("nginx") or (
    "/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None
)
CONF = ROOT / "deploy" / "nginx-lco.conf"
UNIT = ROOT / "deploy" / "lco-odoo.service"
DB = "lco_deploy"
UPLOAD = 5 * 1024 * 1024


def test_service_unit_runs_make_run_as_a_user_with_a_log_file():
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str
    unit.read(UNIT)
    service = unit["Service"]
    assert service["User"] not in {"", "root"}
    assert service["ExecStart"].endswith("/tools/run.sh")
    assert service["StandardOutput"].startswith("append:/var/log/")
    text = UNIT.read_text()
    for setting in ("DEMO=0", "WORKERS=", "GEVENT_PORT=", "HTTP_INTERFACE=127.0.0.1"):
        assert setting in text
    verify = shutil.which("systemd-analyze")
    if verify:
        done = subprocess.run(
            [verify, "verify", str(UNIT)], capture_output=True, text=True, check=False
        )
        # Unknown users and paths of another machine are fine; syntax is not.
        assert "Unknown key" not in done.stderr, done.stderr
        assert "Invalid" not in done.stderr, done.stderr


def nginx_configuration(work, odoo):
    """deploy/nginx-lco.conf with the test's ports and a self-signed
    certificate, in an nginx.conf of its own: (https port, its file)."""
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            str(work / "key.pem"),
            "-out",
            str(work / "cert.pem"),
        ],
        capture_output=True,
        check=True,
    )
    http_port, https_port = _free_port(), _free_port()
    text = CONF.read_text()
    for old, new in (
        ("127.0.0.1:8069", f"127.0.0.1:{odoo.port}"),
        ("127.0.0.1:8072", f"127.0.0.1:{odoo.gevent_port}"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen [::]:80;", ""),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("listen [::]:443 ssl http2;", ""),
        (
            "/etc/letsencrypt/live/ocmw.example.org/fullchain.pem",
            str(work / "cert.pem"),
        ),
        ("/etc/letsencrypt/live/ocmw.example.org/privkey.pem", str(work / "key.pem")),
    ):
        assert old in text, f"{old} in {CONF.name}"
        text = text.replace(old, new)
    (work / "lco.conf").write_text(text)
    temp = "".join(
        f"{kind}_temp_path {work}/{kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (work / "nginx.conf").write_text(
        f"daemon off;\nworker_processes 1;\npid {work}/nginx.pid;\n"
        f"error_log {work}/error.log warn;\n"
        "events { worker_connections 256; }\n"
        "http {\n"
        f"include /etc/nginx/mime.types;\naccess_log {work}/access.log;\n{temp}"
        f"include {work}/lco.conf;\n}}\n"
    )
    return https_port, work / "nginx.conf"


@pytest.fixture(scope="module")
def behind_nginx():
    if not NGINX:
        pytest.skip(
            "nginx is not installed (apt-get install nginx; tools/test.sh does it"
            " as root): the nginx configuration of deploy/ cannot be tested"
        )
    # Not under pytest's tmp_path (mode 700): nginx's workers run as nobody.
    work = Path(tempfile.mkdtemp(prefix="lco-nginx-", dir="/tmp"))
    work.chmod(0o755)
    drop_database(DB)
    copy_database(_setting("LCO_DB"), DB)
    odoo = OdooServer(DB, work / "odoo.log", workers=2, extra_args=("--proxy-mode",))
    nginx = None
    try:
        https_port, conf = nginx_configuration(work, odoo)
        test = subprocess.run(
            [NGINX, "-t", "-c", str(conf)], capture_output=True, text=True, check=False
        )
        assert test.returncode == 0, test.stderr
        nginx = subprocess.Popen(
            [NGINX, "-c", str(conf)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"https://127.0.0.1:{https_port}"
        assert serving(url, nginx, timeout=30, verify=False), "nginx did not serve"
        yield url, https_port
    finally:
        if nginx:
            nginx.terminate()
            nginx.wait(timeout=30)
        odoo.stop()
        drop_database(DB)
        shutil.rmtree(work, ignore_errors=True)


def rpc(session, url, route, params):
    response = session.post(
        f"{url}{route}",
        json={"jsonrpc": "2.0", "method": "call", "params": params},
        verify=False,
        timeout=120,
    )
    response.raise_for_status()
    body = response.json()
    assert "error" not in body, body.get("error")
    return body["result"]


def login(url, name):
    session = requests.Session()
    session.verify = False
    info = rpc(
        session,
        url,
        "/web/session/authenticate",
        {"db": DB, "login": name, "password": name},
    )
    assert info["uid"]
    # proxy_mode: the session cookie is marked for HTTPS, as the browser saw it.
    return session, info


def call(session, url, model, method, *args, **kwargs):
    return rpc(
        session,
        url,
        f"/web/dataset/call_kw/{model}/{method}",
        {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
    )


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_login_upload_and_websocket_through_nginx(behind_nginx):
    url, port = behind_nginx
    coordinator, info = login(url, "coordinator")
    page = coordinator.get(f"{url}/odoo", verify=False, timeout=60)
    assert page.ok and "odoo.__session_info__" in page.text
    # Odoo sees HTTPS and the public host from nginx's headers (proxy_mode).
    assert re.search(r'"web\.base\.url"|https://127\.0\.0\.1', page.text)

    [case_id] = call(coordinator, url, "lco.case", "search", [], limit=1)
    content = os.urandom(UPLOAD)
    attachment = call(
        coordinator,
        url,
        "ir.attachment",
        "create",
        {
            "name": "scan.bin",
            "datas": base64.b64encode(content).decode(),
            "res_model": "lco.case",
            "res_id": case_id,
        },
    )
    [read] = call(
        coordinator, url, "ir.attachment", "read", [attachment], ["file_size"]
    )
    assert read["file_size"] == UPLOAD

    aid_worker, _info = login(url, "aidworker")
    partner_id = info["partner_id"]
    call(aid_worker, url, "discuss.channel", "channel_get", [partner_id])
    [channel_id] = call(
        aid_worker,
        url,
        "discuss.channel",
        "search",
        [
            ("channel_type", "=", "chat"),
            ("channel_member_ids.partner_id", "=", partner_id),
            ("is_member", "=", True),
        ],
        limit=1,
    )
    ws = websocket.create_connection(
        f"wss://127.0.0.1:{port}/websocket",
        origin=f"https://127.0.0.1:{port}",
        cookie=f"session_id={coordinator.cookies['session_id']}",
        sslopt={"cert_reqs": 0},
        timeout=60,
    )
    try:
        ws.send(
            json.dumps({"event_name": "subscribe", "data": {"channels": [], "last": 0}})
        )
        text = f"Through nginx {time.monotonic_ns()}"
        call(
            aid_worker,
            url,
            "discuss.channel",
            "message_post",
            channel_id,
            body=text,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        wait_for(ws, lambda message: text in json.dumps(message))
    finally:
        ws.close()
