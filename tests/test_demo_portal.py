"""The demo's portal users: Kim Vermeulen, the client, and Wouter Maes of the
housing company, whose consent gives him the work plan only."""

import xmlrpc.client

import pytest
from test_web_client import login

QUESTION = "We willen ons huis houden"


@pytest.fixture(scope="module")
def case_family(admin):
    return admin.ref("lco_module.case_family")


def test_client_reads_her_case_on_the_portal(demo_server, case_family):
    session = login(demo_server, "client")
    page = session.get(f"{demo_server.url}/my/lco", timeout=60)
    assert page.status_code == 200
    assert f"/my/lco/{case_family}" in page.text
    page = session.get(f"{demo_server.url}/my/lco/{case_family}", timeout=60)
    assert page.status_code == 200
    assert QUESTION in page.text


def test_external_reads_the_work_plan_only(demo_server, case_family):
    session = login(demo_server, "external")
    page = session.get(f"{demo_server.url}/my/lco/{case_family}", timeout=60)
    assert page.status_code == 200
    assert "Vermeulen" in page.text
    assert QUESTION not in page.text


@pytest.mark.parametrize("login_name", ["client", "external"])
def test_portal_users_reach_their_case_only_over_rpc(
    demo_server, case_family, login_name
):
    portal = demo_server.client(login_name)
    assert portal.call("lco.case", "search", []) == [case_family]
    with pytest.raises(xmlrpc.client.Fault) as refusal:
        portal.call("lco.case", "read", [case_family], ["question"])
    assert refusal.value.faultCode == 4, refusal.value.faultString
