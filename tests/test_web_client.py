"""The coordinator opens the app in a browser session (JSON-RPC, like the web client)."""

import requests


def json_rpc(session, url, params):
    response = session.post(
        url, json={"jsonrpc": "2.0", "method": "call", "params": params}, timeout=60
    )
    response.raise_for_status()
    body = response.json()
    assert "error" not in body, body.get("error")
    return body["result"]


def login(server, login_name):
    session = requests.Session()
    json_rpc(
        session,
        f"{server.url}/web/session/authenticate",
        {"db": server.db, "login": login_name, "password": login_name},
    )
    return session


def call_kw(server, session, model, method, args, kwargs=None):
    return json_rpc(
        session,
        f"{server.url}/web/dataset/call_kw/{model}/{method}",
        {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
    )


def test_login_page_is_served(demo_server):
    response = requests.get(f"{demo_server.url}/web/login", timeout=30)
    assert response.status_code == 200
    assert 'name="login"' in response.text


def test_coordinator_opens_the_case_kanban_in_dutch(demo_server):
    session = login(demo_server, "coordinator")
    context = {"lang": "nl_BE", "tz": "Europe/Brussels"}
    views = call_kw(
        demo_server,
        session,
        "lco.case",
        "get_views",
        [],
        {
            "views": [
                [False, "kanban"],
                [False, "list"],
                [False, "form"],
                [False, "search"],
            ],
            "options": {"load_filters": True},
            "context": context,
        },
    )
    assert set(views["views"]) == {"kanban", "list", "form", "search"}
    assert 'default_group_by="state"' in views["views"]["kanban"]["arch"]
    assert "Achterstallige afspraken" in views["views"]["search"]["arch"]

    groups = call_kw(
        demo_server,
        session,
        "lco.case",
        "web_read_group",
        [[], ["state"], ["state"]],
        {"context": context},
    )
    columns = {group["state"]: group["state_count"] for group in groups["groups"]}
    # His two running cases, and the one closed and anonymised two years ago.
    assert columns == {"draft": 0, "active": 2, "closed": 1, "cancelled": 0}


def test_aid_worker_has_the_app_but_not_its_configuration(demo_server):
    session = login(demo_server, "aidworker")
    response = session.get(
        f"{demo_server.url}/web/webclient/load_menus/1",
        params={"lang": "nl_BE"},
        timeout=30,
    )
    response.raise_for_status()
    names = {menu["name"] for menu in response.json().values()}
    assert {"Cliëntoverleg", "Dossiers", "Afspraken"} <= names
    assert "Levensdomeinen" not in names
