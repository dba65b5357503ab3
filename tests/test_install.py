"""An administrator installs the addon in an existing database, removes it, and
installs it again, over RPC as the Apps menu does. Removing it leaves nothing
of it behind: no tables, columns, views, crons, groups, menus, actions,
sequences, mail templates or settings."""

import os
import subprocess
import sys

import pytest
from conftest import ROOT, OdooServer, _setting, serving_new_database
from test_backup_restore import copy_database, drop_database, sql
from test_web_client import json_rpc
from test_web_client import login as login_session

FRESH_DB = "lco_fresh"
# Installed by itself with lco_module, where Odoo's privacy_lookup is (auto_install).
BRIDGE = "lco_privacy_lookup"

# The kinds of records of the addon that uninstalling removes, by their table.
ADDON_RECORDS = {
    "ir.ui.view": "ir_ui_view",
    "ir.cron": "ir_cron",
    "res.groups": "res_groups",
    "ir.ui.menu": "ir_ui_menu",
    "ir.sequence": "ir_sequence",
    "mail.template": "mail_template",
    "ir.actions.act_window": "ir_act_window",
    "ir.actions.server": "ir_act_server",
    "ir.actions.report": "ir_act_report_xml",
    "ir.rule": "ir_rule",
    "ir.model.access": "ir_model_access",
    "mail.message.subtype": "mail_message_subtype",
    "mail.activity.type": "mail_activity_type",
    "ir.module.category": "ir_module_category",
}
# What the addon makes without an external id, found by name.
LEFT_BEHIND = {
    "tables": "SELECT table_name FROM information_schema.tables"
    " WHERE table_schema = 'public' AND table_name LIKE 'lco\\_%%'",
    "external ids": "SELECT name FROM ir_model_data WHERE module = 'lco_module'",
    "sequences": "SELECT code FROM ir_sequence WHERE code LIKE 'lco.%%'",
    "settings": "SELECT key FROM ir_config_parameter WHERE key LIKE 'lco\\_module.%%'"
    " OR key = 'lco_tools.installed_checksums'",
    "mail templates": "SELECT id FROM mail_template WHERE model LIKE 'lco.%%'",
    "views": "SELECT key FROM ir_ui_view WHERE model LIKE 'lco.%%'"
    " OR key LIKE 'lco\\_module.%%' OR arch_fs LIKE 'lco\\_module/%%'",
    "actions": "SELECT id FROM ir_act_window WHERE res_model LIKE 'lco.%%'",
    "crons": "SELECT c.id FROM ir_cron c JOIN ir_act_server a"
    " ON a.id = c.ir_actions_server_id WHERE a.model_name LIKE 'lco.%%'",
    "indexes": "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'"
    " AND indexname LIKE '%%lco%%'",
    "defaults": "SELECT f.name FROM ir_default d JOIN ir_model_fields f"
    " ON f.id = d.field_id WHERE f.model LIKE 'lco.%%' OR f.name LIKE 'lco\\_%%'",
}


@pytest.fixture(scope="module")
def fresh_server(tmp_path_factory):
    """Odoo on a database where the addon was installed without demo data."""
    drop_database(FRESH_DB)  # left by an earlier run on the same cluster
    with serving_new_database(
        FRESH_DB, "lco_module", tmp_path_factory.mktemp("fresh")
    ) as server:
        yield server


def module_state(admin, name="lco_module"):
    [module] = admin.call(
        "ir.module.module",
        "search_read",
        [("name", "=", name)],
        fields=["state"],
    )
    return module["state"]


def lco_models(admin):
    return admin.call("ir.model", "search_count", [("model", "=like", "lco.%")])


def case_sequences(admin):
    return admin.call("ir.sequence", "search_count", [("code", "=", "lco.case")])


def addon_records():
    """(table, id) of the records of the addon with an external id."""
    return [
        (ADDON_RECORDS[model], res_id)
        for model, res_id in sql(
            FRESH_DB,
            "SELECT model, res_id FROM ir_model_data"
            " WHERE module = 'lco_module' AND model IN %s",
            (tuple(ADDON_RECORDS),),
        )
    ]


def addon_columns():
    """(table, column) of the fields the addon adds to Odoo's models."""
    return sql(
        FRESH_DB,
        "SELECT replace(f.model, '.', '_'), f.name FROM ir_model_fields f"
        " JOIN ir_model_data d ON d.model = 'ir.model.fields' AND d.res_id = f.id"
        " JOIN ir_model m ON m.id = f.model_id"
        " WHERE d.module = 'lco_module' AND f.store AND f.model NOT LIKE 'lco.%%'"
        " AND NOT m.transient",
    )


def change_settings(admin):
    """The administrator chooses the organisation for unrouted requests in the
    settings (Settings > Client Consultation opens lco.settings; the public
    form's rate limit is lco_request_form's)."""
    [company] = admin.call("res.company", "search", [], limit=1)
    settings = admin.call(
        "lco.settings",
        "create",
        {"request_default_company_id": company},
    )
    admin.call("lco.settings", "execute", [settings])
    assert admin.call(
        "ir.config_parameter",
        "search_count",
        [("key", "=like", "lco_module.%")],
    )


def assert_nothing_left_behind(records, columns):
    left = {what: sql(FRESH_DB, query) for what, query in LEFT_BEHIND.items()}
    assert not {what: found for what, found in left.items() if found}
    still_there = [
        (table, res_id)
        for table, res_id in records
        if sql(FRESH_DB, f'SELECT 1 FROM "{table}" WHERE id = %s', (res_id,))
    ]
    assert not still_there, "records of the addon left behind"
    kept = [
        (table, column)
        for table, column in columns
        if sql(
            FRESH_DB,
            "SELECT 1 FROM information_schema.columns"
            " WHERE table_name = %s AND column_name = %s",
            (table, column),
        )
    ]
    assert not kept, "columns of the addon left behind"


def test_install_uninstall_reinstall(fresh_server):
    admin = fresh_server.client("admin")
    assert module_state(admin) == "installed"
    # Its bridge to Odoo's privacy_lookup comes with it, and goes with it.
    assert module_state(admin, BRIDGE) == "installed"
    assert lco_models(admin) >= 9
    assert admin.call("lco.life.domain", "search_count", []) == 13
    companies = admin.call("res.company", "search_count", [])
    assert case_sequences(admin) == companies
    assert not admin.call("lco.case", "search_count", []), "no demo data was asked for"
    change_settings(admin)
    records, columns = addon_records(), addon_columns()
    assert {table for table, _id in records} >= {
        "ir_ui_view",
        "ir_cron",
        "res_groups",
        "ir_ui_menu",
        "ir_sequence",
        "mail_template",
        "ir_act_window",
    }
    assert ("res_partner", "lco_birthdate") in columns or (
        "res_partner",
        "birthdate_date",
    ) in columns

    [module_id] = admin.call(
        "ir.module.module", "search", [("name", "=", "lco_module")]
    )
    admin.call("ir.module.module", "button_immediate_uninstall", [module_id])
    admin = fresh_server.client("admin")
    assert module_state(admin) == "uninstalled"
    assert module_state(admin, BRIDGE) == "uninstalled"
    assert lco_models(admin) == 0
    assert not admin.call("res.groups", "search_count", [("name", "=", "Coordinator")])
    assert not admin.call(
        "ir.ui.menu", "search_count", [("name", "=", "Client Consultation")]
    )
    assert_nothing_left_behind(records, columns)

    admin.call("ir.module.module", "button_immediate_install", [module_id])
    admin = fresh_server.client("admin")
    assert module_state(admin) == "installed"
    assert module_state(admin, BRIDGE) == "installed"
    assert case_sequences(admin) == companies, "one case numbering per company"
    client = admin.call("res.partner", "create", {"name": "Client after reinstall"})
    case_id = admin.call("lco.case", "create", {"client_id": client})
    [case] = admin.call("lco.case", "read", [case_id], ["name", "participant_ids"])
    assert case["name"].startswith("LCO/")
    assert len(case["participant_ids"]) == 1
    errors = [
        line
        for line in fresh_server.log_path.read_text().splitlines()
        if " ERROR " in line or " CRITICAL " in line
    ]
    assert not errors, "\n".join(errors[:20])


DEMO_DB = "lco_uninstall_demo"
DEMO_LOGINS = ("coordinator", "coordinator2", "aidworker")


def test_uninstall_after_use_of_the_demo(tmp_path):
    """The addon removed from a demo database that was used (the demo users
    logged in, wrote messages and cases): no error in Odoo's log, and no demo
    login (password = login) works any more."""
    copy_database(_setting("LCO_DB"), DEMO_DB)
    server = OdooServer(DEMO_DB, tmp_path / "server.log")
    try:
        for login in DEMO_LOGINS:
            user = server.client(login)
            [case_id, *_] = user.call("lco.case", "search", [], limit=1) or [None]
            if case_id:  # as in the web client's chatter
                json_rpc(
                    login_session(server, login),
                    f"{server.url}/mail/message/post",
                    {
                        "thread_model": "lco.case",
                        "thread_id": case_id,
                        "post_data": {
                            "body": f"Note of {login}",
                            "message_type": "comment",
                            "subtype_xmlid": "mail.mt_note",
                        },
                    },
                )
        # As make run records the code it installed (tools/upgrade.py).
        subprocess.run(
            [sys.executable, str(ROOT / "tools" / "upgrade.py"), "record", DEMO_DB],
            env={
                **os.environ,
                "PGHOST": _setting("LCO_DB_HOST"),
                "PGUSER": _setting("LCO_DB_USER"),
            },
            check=True,
        )
        coordinator = server.client("coordinator")
        client = coordinator.call("res.partner", "create", {"name": "Used Client"})
        coordinator.call("lco.case", "create", {"client_id": client})
        admin = server.client("admin")
        [module_id] = admin.call(
            "ir.module.module", "search", [("name", "=", "lco_module")]
        )
        admin.call("ir.module.module", "button_immediate_uninstall", [module_id])
        admin = server.client("admin")
        assert module_state(admin) == "uninstalled"
        for login in DEMO_LOGINS:
            with pytest.raises(AssertionError, match="cannot log in"):
                server.client(login)
        left = sql(
            DEMO_DB,
            "SELECT login FROM res_users WHERE active AND login IN %s",
            (DEMO_LOGINS,),
        )
        assert not left, f"demo logins still active: {left}"
        assert not sql(
            DEMO_DB,
            "SELECT 1 FROM ir_config_parameter"
            " WHERE key = 'lco_tools.installed_checksums'",
        ), "the recorded checksums go with the addon"
    finally:
        server.stop()
        drop_database(DEMO_DB)
    errors = [
        line
        for line in (tmp_path / "server.log").read_text().splitlines()
        if " ERROR " in line or " CRITICAL " in line
    ]
    assert not errors, f"{len(errors)} errors:\n" + "\n".join(errors[:20])
