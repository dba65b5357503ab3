"""Requests on the demo database: who sees which, and what the buttons answer
over XML-RPC (the public form: test_request_form.py)."""

import xmlrpc.client

import pytest


@pytest.fixture(scope="module")
def demo(admin):
    return admin.demo_ids(
        "request_neighbour",
        "request_school_family",
        "request_aidworker",
        "request_declined",
        "request_maasvallei",
        "request_unrouted",
        "case_family",
    )


def visible(demo_server, login):
    return set(demo_server.client(login).call("lco.request", "search", []))


def test_demo_users_see_the_requests_their_role_allows(demo_server, demo):
    heidebeek = {
        demo[name]
        for name in (
            "request_neighbour",
            "request_school_family",
            "request_aidworker",
            "request_declined",
            "request_unrouted",
        )
    }
    assert visible(demo_server, "coordinator") == heidebeek
    assert visible(demo_server, "manager") == heidebeek
    assert visible(demo_server, "coordinator2") == {demo["request_maasvallei"]}
    assert visible(demo_server, "aidworker") == {demo["request_aidworker"]}
    assert visible(demo_server, "aidworker2") == {demo["request_declined"]}


def test_intake_is_for_coordinators_only(demo_server, demo):
    coordinator = demo_server.client("coordinator")
    [request] = coordinator.call(
        "lco.request",
        "read",
        [demo["request_school_family"]],
        ["open_case_id", "state"],
    )
    assert request["open_case_id"][0] == demo["case_family"]
    [in_review] = coordinator.call(
        "lco.request", "read", [demo["request_aidworker"]], ["intake_note"]
    )
    assert in_review["intake_note"]

    aid_worker = demo_server.client("aidworker")
    with pytest.raises(xmlrpc.client.Fault) as refusal:
        aid_worker.call(
            "lco.request", "read", [demo["request_aidworker"]], ["intake_note"]
        )
    assert refusal.value.faultCode == 4


INTAKE_ONLY = "Only the coordinators of the organisation a request goes to"


def test_accept_wizard_of_another_organisation_is_refused(demo_server, demo):
    """Issue 7, item 1: coordinator2 (Maasvallei) opened the accept wizard on a
    Heidebeek request and read its client, requester and matching contacts."""
    coordinator2 = demo_server.client("coordinator2")
    missing = max(demo.values()) + 100000
    answers = set()
    for request_id in (demo["request_neighbour"], missing):
        with pytest.raises(xmlrpc.client.Fault) as refusal:
            coordinator2.call(
                "lco.request.accept",
                "create",
                {"request_id": request_id, "reason": "x", "client_choice": "new"},
            )
        assert INTAKE_ONLY in refusal.value.faultString
        assert "Luc" not in refusal.value.faultString
        answers.add(refusal.value.faultString.split("\n")[-1])
    # A request that does not exist answers as one of another organisation.
    assert len(answers) == 1


def test_buttons_answer_over_xmlrpc(demo_server, admin):
    """Issue 7, item 14: request and wizard buttons return something XML-RPC
    marshals, not None after committing."""
    aid_worker = demo_server.client("aidworker")
    coordinator = demo_server.client("coordinator")
    request_id = aid_worker.call(
        "lco.request",
        "create",
        {
            "client_name": "Client of the button test",
            "client_zip": "3999",
            "question": "Take in, then decline over XML-RPC.",
            "client_informed": True,
            "client_agrees": True,
        },
    )
    try:
        assert coordinator.call("lco.request", "action_take", [request_id]) is True
        action = coordinator.call("lco.request", "action_decline", [request_id])
        wizard_id = coordinator.call(
            action["res_model"],
            "create",
            {"reason": "A talk with the client first.", "send_mail": False},
            context=action["context"],
        )
        closed = coordinator.call(action["res_model"], "action_confirm", [wizard_id])
        assert closed == {"type": "ir.actions.act_window_close"}
        [request] = aid_worker.call("lco.request", "read", [request_id], ["state"])
        assert request["state"] == "declined"
    finally:
        admin.call("lco.request", "unlink", [request_id])
