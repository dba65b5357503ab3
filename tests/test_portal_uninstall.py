"""An organisation that keeps outsiders off its Odoo removes lco_portal from a
database that used it: the portal's pages, rules, access rights, link tokens
and demo logins go, lco_module keeps working as before, and lco_portal
installs again."""

import pytest
import requests
from conftest import OdooServer, _setting
from test_backup_restore import copy_database, drop_database, sql
from test_install import module_state

DB = "lco_portal_uninstall"
PORTAL_LOGINS = ("client", "external")


def portal_rules(db):
    """The record rules and access rights of base.group_portal on the
    consultation's models."""
    portal = (
        "(SELECT res_id FROM ir_model_data WHERE module = 'base'"
        " AND name = 'group_portal')"
    )
    lco_models = "(SELECT id FROM ir_model WHERE model LIKE 'lco.%%')"
    return sql(
        db,
        "SELECT 'rule', r.id FROM ir_rule r JOIN rule_group_rel g"
        f" ON g.rule_group_id = r.id WHERE g.group_id = {portal}"
        f" AND r.model_id IN {lco_models}"
        " UNION ALL SELECT 'access', a.id FROM ir_model_access a"
        f" WHERE a.group_id = {portal} AND a.model_id IN {lco_models}",
    )


def token_column(db):
    return sql(
        db,
        "SELECT 1 FROM information_schema.columns WHERE table_name ="
        " 'lco_meeting_evaluation' AND column_name = 'access_token'",
    )


def portal_page(server, login):
    """/my/lco as ``login`` (password = login): the status code."""
    session = requests.Session()
    page = session.get(f"{server.url}/web/login", timeout=60)
    csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    session.post(
        f"{server.url}/web/login",
        data={"login": login, "password": login, "csrf_token": csrf},
        timeout=60,
    )
    return session.get(f"{server.url}/my/lco", timeout=60).status_code


@pytest.fixture
def server(tmp_path):
    copy_database(_setting("LCO_DB"), DB)
    server = OdooServer(DB, tmp_path / "server.log")
    try:
        yield server
    finally:
        server.stop()
        drop_database(DB)
    errors = [
        line
        for line in (tmp_path / "server.log").read_text().splitlines()
        if " ERROR " in line or " CRITICAL " in line
    ]
    assert not errors, f"{len(errors)} errors:\n" + "\n".join(errors[:20])


def test_portal_uninstalls_and_the_base_keeps_working(server):
    admin = server.client("admin")
    assert module_state(admin, "lco_portal") == "installed"
    assert portal_rules(DB) and token_column(DB)
    assert portal_page(server, "client") == 200

    [module_id] = admin.call(
        "ir.module.module", "search", [("name", "=", "lco_portal")]
    )
    admin.call("ir.module.module", "button_immediate_uninstall", [module_id])
    admin = server.client("admin")
    assert module_state(admin, "lco_portal") == "uninstalled"
    assert module_state(admin) == "installed"
    assert not sql(DB, "SELECT name FROM ir_model_data WHERE module = 'lco_portal'")
    assert not portal_rules(DB), "the portal reads nothing of the consultations"
    assert not token_column(DB), "the evaluation links' tokens are gone"
    assert not sql(DB, "SELECT key FROM ir_ui_view WHERE key LIKE 'lco\\_portal.%%'"), (
        "no portal template left"
    )
    for login in PORTAL_LOGINS:
        with pytest.raises(AssertionError, match="cannot log in"):
            server.client(login)

    # The base as before: the coordinator opens and runs his cases.
    coordinator = server.client("coordinator")
    cases = coordinator.call("lco.case", "search_read", [], fields=["name"])
    assert cases
    for model in ("lco.case", "lco.participant", "lco.meeting.evaluation"):
        views = coordinator.call(model, "get_views", [[False, "form"], [False, "list"]])
        assert views["views"]["form"]["arch"]
    client = coordinator.call("res.partner", "create", {"name": "Client, no portal"})
    case_id = coordinator.call("lco.case", "create", {"client_id": client})
    assert coordinator.call("lco.case", "read", [case_id], ["name"])[0]["name"]

    admin.call("ir.module.module", "button_immediate_install", [module_id])
    admin = server.client("admin")
    assert module_state(admin, "lco_portal") == "installed"
    assert portal_rules(DB) and token_column(DB)
