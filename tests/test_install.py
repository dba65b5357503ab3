"""An administrator installs the addon in an existing database, removes it, and
installs it again, over RPC as the Apps menu does."""

import pytest
from conftest import serving_new_database

FRESH_DB = "lco_fresh"


@pytest.fixture(scope="module")
def fresh_server(tmp_path_factory):
    """Odoo on a database where the addon was installed without demo data."""
    with serving_new_database(
        FRESH_DB, "lco_module", tmp_path_factory.mktemp("fresh")
    ) as server:
        yield server


def module_state(admin):
    [module] = admin.call(
        "ir.module.module",
        "search_read",
        [("name", "=", "lco_module")],
        fields=["state"],
    )
    return module["state"]


def lco_models(admin):
    return admin.call("ir.model", "search_count", [("model", "=like", "lco.%")])


def test_install_uninstall_reinstall(fresh_server):
    admin = fresh_server.client("admin")
    assert module_state(admin) == "installed"
    assert lco_models(admin) >= 9
    assert admin.call("lco.life.domain", "search_count", []) == 13
    assert admin.call(
        "ir.sequence", "search_count", [("code", "=", "lco.case")]
    ) == admin.call("res.company", "search_count", [])
    assert not admin.call("lco.case", "search_count", []), "no demo data was asked for"

    [module_id] = admin.call(
        "ir.module.module", "search", [("name", "=", "lco_module")]
    )
    admin.call("ir.module.module", "button_immediate_uninstall", [module_id])
    admin = fresh_server.client("admin")
    assert module_state(admin) == "uninstalled"
    assert lco_models(admin) == 0
    assert not admin.call("res.groups", "search_count", [("name", "=", "Coordinator")])
    assert not admin.call(
        "ir.ui.menu", "search_count", [("name", "=", "Client Consultation")]
    )

    admin.call("ir.module.module", "button_immediate_install", [module_id])
    admin = fresh_server.client("admin")
    assert module_state(admin) == "installed"
    client = admin.call("res.partner", "create", {"name": "Client after reinstall"})
    case_id = admin.call("lco.case", "create", {"client_id": client})
    [case] = admin.call("lco.case", "read", [case_id], ["name", "participant_ids"])
    assert case["name"].startswith("LCO/")
    assert len(case["participant_ids"]) == 1
