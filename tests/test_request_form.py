"""The public request form (lco_request_form) on the demo database, used from
outside as a citizen's browser does: in queries, and with parallel posts."""

import re
import threading
from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode

import pytest
import requests
from conftest import OdooServer, serving_new_database, wait_until
from test_backup_restore import drop_database, sql

FORM = "/lco/aanvraag"
RATE_LIMIT = "lco_module.request_rate_limit"
COUNTED_POSTS = 6
COUNTED_CLIENT = "Client of the query count test"
COUNTED_EMAIL = "query-count-test@example.com"
# A valid post ran 78 queries (the first, with cold caches, 114): some room.
MAX_POST_QUERIES = 100


@pytest.fixture(scope="module")
def counting_server(demo_server, tmp_path_factory):
    """A third server on the demo database that logs each HTTP request with the
    number of SQL queries it ran (Odoo's werkzeug log line ends with it)."""
    server = OdooServer(
        demo_server.db,
        tmp_path_factory.mktemp("counting") / "server.log",
        extra_args=("--log-handler", "werkzeug:INFO"),
    )
    yield server
    server.stop()


def post_query_counts(server, expected, timeout=60):
    """The query counts of the first ``expected`` posts of the form in the log of
    ``server``: werkzeug logs a request once its answer is sent, so the lines are
    awaited, with a deadline."""
    line = re.compile(rf'"POST {FORM} HTTP/[\d.]+" 303 \S+ (\d+) ')

    def counts():
        return [int(n) for n in line.findall(server.log_path.read_text())]

    wait_until(lambda: len(counts()) >= expected, timeout, interval=0.1)
    return counts()


def test_public_form_post_runs_few_queries(counting_server, admin):
    """A valid post of the public form costs the server a fixed number of
    queries, that does not grow with the requests already stored nor with the
    earlier posts from the same address (the rate limit counts them in one
    query). Timings are in `make bench`, not here: they depend on the load."""
    limit = admin.call("ir.config_parameter", "get_param", RATE_LIMIT)
    admin.call("ir.config_parameter", "set_param", RATE_LIMIT, 10000)
    session = requests.Session()
    page = session.get(f"{counting_server.url}{FORM}", timeout=30)
    assert "Een lokaal cliëntoverleg aanvragen" in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]
    data = {
        "csrf_token": token,
        "lang": "nl_BE",
        "requester_type": "network",
        "requester_name": "Query Count Test",
        "requester_email": COUNTED_EMAIL,
        "client_name": COUNTED_CLIENT,
        "client_zip": "3999",
        "question": "Count the queries a request takes.",
        "life_domain_ids": [admin.ref("lco_module.life_domain_housing")],
        "urgency": "0",
        "client_informed": "on",
        "client_agrees": "on",
    }
    try:
        for _ in range(COUNTED_POSTS):
            response = session.post(
                f"{counting_server.url}{FORM}",
                data=data,
                allow_redirects=False,
                timeout=30,
            )
            assert response.status_code == 303, response.text
        counts = post_query_counts(counting_server, COUNTED_POSTS)
    finally:
        admin.call(
            "lco.request",
            "unlink",
            admin.call("lco.request", "search", [("client_name", "=", COUNTED_CLIENT)]),
        )
        admin.call(
            "mail.mail",
            "unlink",
            admin.call("mail.mail", "search", [("email_to", "=", COUNTED_EMAIL)]),
        )
        admin.call("ir.config_parameter", "set_param", RATE_LIMIT, limit or False)
    assert len(counts) == COUNTED_POSTS, counts
    print(f"\npublic request form: queries of each valid post: {counts}")
    # The first post fills the server's caches; from the second on, each post
    # runs as many queries as the one before, however many are stored.
    warm = counts[1:]
    assert max(warm) == min(warm), counts
    assert warm[0] <= MAX_POST_QUERIES, counts


def posts_this_hour(admin):
    """The public requests stored in the last hour: the posts of other tests
    from this address count for the rate limit as well."""
    since = datetime.now(timezone.utc) - timedelta(hours=1)
    return admin.call(
        "lco.request",
        "search_count",
        [
            ("remote_addr_hash", "!=", False),
            ("create_date", ">=", since.strftime("%Y-%m-%d %H:%M:%S")),
        ],
    )


def test_rate_limit_holds_under_parallel_posts(demo_server, admin):
    """Issue 7, item 13: eight posts at once from one address, five allowed:
    five are stored, three refused (8 were stored before the lock)."""
    sent = posts_this_hour(admin)
    limit = admin.call("ir.config_parameter", "get_param", RATE_LIMIT)
    admin.call("ir.config_parameter", "set_param", RATE_LIMIT, sent + 5)
    client_name = "Client of the parallel posts"
    posts = 8
    ready = threading.Barrier(posts)
    statuses = []

    def post():
        session = requests.Session()
        page = session.get(f"{demo_server.url}{FORM}", timeout=30)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]
        body = urlencode(
            {
                "csrf_token": token,
                "requester_type": "network",
                "requester_name": "Parallel Test",
                "requester_phone": "+32 470 00 00 99",
                "client_name": client_name,
                "client_zip": "3999",
                "question": "Eight at once.",
                "urgency": "0",
                "client_informed": "on",
                "client_agrees": "on",
            }
        ).encode()
        ready.wait(timeout=60)
        response = session.post(
            f"{demo_server.url}{FORM}",
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            allow_redirects=False,
            timeout=60,
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=post) for _ in range(posts)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        stored = admin.call(
            "lco.request", "search", [("client_name", "=", client_name)]
        )
        assert sorted(statuses) == [303] * 5 + [429] * 3
        assert len(stored) == 5
    finally:
        admin.call(
            "lco.request",
            "unlink",
            admin.call("lco.request", "search", [("client_name", "=", client_name)]),
        )
        admin.call("ir.config_parameter", "set_param", RATE_LIMIT, limit or False)


FORM_DB = "lco_form_fresh"


def post_form(server, client_name):
    session = requests.Session()
    page = session.get(f"{server.url}{FORM}", timeout=30)
    assert page.status_code == 200
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]
    return session.post(
        f"{server.url}{FORM}",
        data={
            "csrf_token": token,
            "lang": "en_US",
            "requester_type": "network",
            "requester_name": "Install Test",
            "requester_phone": "+32 470 00 00 98",
            "client_name": client_name,
            "client_zip": "3999",
            "question": "Is the form there?",
            "urgency": "0",
            "client_informed": "on",
            "client_agrees": "on",
        },
        allow_redirects=False,
        timeout=30,
    )


def test_installs_and_uninstalls_on_its_own(tmp_path_factory):
    """An organisation adds the public form to lco_module and removes it again
    over RPC, as the Apps menu does: the requests stay, the form, its cron,
    settings and the senders' fingerprints go."""
    drop_database(FORM_DB)  # left by an earlier run on the same cluster
    with serving_new_database(
        FORM_DB, "lco_module", tmp_path_factory.mktemp("form")
    ) as server:
        admin = server.client("admin")
        assert requests.get(f"{server.url}{FORM}", timeout=30).status_code == 404
        [module_id] = admin.call(
            "ir.module.module", "search", [("name", "=", "lco_request_form")]
        )
        admin.call("ir.module.module", "button_immediate_install", [module_id])
        admin = server.client("admin")
        assert post_form(server, "Client Before Uninstall").status_code == 303
        [request_id] = admin.call(
            "lco.request", "search", [("client_name", "=", "Client Before Uninstall")]
        )
        [request] = admin.call(
            "lco.request", "read", [request_id], ["channel", "remote_addr_hash"]
        )
        assert request["channel"] == "web" and request["remote_addr_hash"]
        admin.call("ir.config_parameter", "set_param", RATE_LIMIT, 7)

        admin.call("ir.module.module", "button_immediate_uninstall", [module_id])
        admin = server.client("admin")
        states = {
            module["name"]: module["state"]
            for module in admin.call(
                "ir.module.module",
                "search_read",
                [("name", "in", ("lco_module", "lco_request_form"))],
                fields=["name", "state"],
            )
        }
        assert states == {"lco_module": "installed", "lco_request_form": "uninstalled"}
        assert requests.get(f"{server.url}{FORM}", timeout=30).status_code == 404
        # The request stays; where it came from goes with the module.
        [request] = admin.call("lco.request", "read", [request_id], ["channel"])
        assert request["channel"] == "web"
        left = {
            "column": "SELECT 1 FROM information_schema.columns"
            " WHERE table_name = 'lco_request' AND column_name = 'remote_addr_hash'",
            "external ids": "SELECT name FROM ir_model_data"
            " WHERE module = 'lco_request_form'",
            "views": "SELECT key FROM ir_ui_view WHERE key LIKE 'lco\\_request\\_form.%%'",
            "cron": "SELECT id FROM ir_act_server"
            " WHERE code LIKE '%%_cron_forget_sender_addresses%%'",
            "setting": f"SELECT key FROM ir_config_parameter WHERE key = '{RATE_LIMIT}'",
        }
        found = {what: sql(FORM_DB, query) for what, query in left.items()}
        assert not {what: rows for what, rows in found.items() if rows}
        errors = [
            line
            for line in server.log_path.read_text().splitlines()
            if " ERROR " in line or " CRITICAL " in line
        ]
        assert not errors, "\n".join(errors[:20])
    drop_database(FORM_DB)
