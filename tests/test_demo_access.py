"""The demo users, logged in over XML-RPC, see and change what their role allows."""

import xmlrpc.client

import pytest


@pytest.fixture(scope="module")
def demo(admin):
    """Database ids of the demo records the tests talk about."""
    return admin.demo_ids(
        "case_family",
        "case_young_man",
        "case_maasvallei",
        "case_anonymised",
        "agreement_family_school_again",
        "agreement_family_budget",
        "meeting_family_2",
    )


# Every case of the demo data, in both organisations.
DEMO_CASES = ("case_family", "case_young_man", "case_maasvallei", "case_anonymised")


def visible_cases(client, demo):
    """The demo cases the user sees (other tests of the suite add cases of
    their own to the demo database)."""
    return {
        case["id"]: case
        for case in client.call(
            "lco.case",
            "search_read",
            [("id", "in", [demo[name] for name in DEMO_CASES])],
            fields=["name", "client_id", "state"],
        )
    }


def assert_refused(call, *args, **kwargs):
    """Odoo answers an AccessError with XML-RPC fault code 4."""
    with pytest.raises(xmlrpc.client.Fault) as refusal:
        call(*args, **kwargs)
    assert refusal.value.faultCode == 4, refusal.value.faultString


def test_coordinator_sees_the_cases_he_coordinates(coordinator, demo):
    cases = visible_cases(coordinator, demo)
    assert set(cases) == {
        demo["case_family"],
        demo["case_young_man"],
        demo["case_anonymised"],
    }
    assert cases[demo["case_family"]]["client_id"][1] == "Kim Vermeulen"
    assert cases[demo["case_family"]]["state"] == "active"


def test_coordinator_runs_his_case(coordinator, demo):
    case_id = demo["case_young_man"]
    coordinator.call(
        "lco.case", "write", [case_id], {"goals": "A place to live, chosen by Jonas."}
    )
    [case] = coordinator.call("lco.case", "read", [case_id], ["goals"])
    assert case["goals"] == "A place to live, chosen by Jonas."
    meeting_ids = coordinator.call(
        "lco.meeting", "search", [("case_id", "=", case_id)], order="number"
    )
    assert len(meeting_ids) == 2


def test_coordinator_never_sees_another_organisation(coordinator, demo):
    assert_refused(coordinator.call, "lco.case", "read", [demo["case_maasvallei"]])


def test_aid_worker_sees_only_the_case_he_takes_part_in(aid_worker, demo):
    assert set(visible_cases(aid_worker, demo)) == {demo["case_family"]}
    assert_refused(aid_worker.call, "lco.case", "read", [demo["case_young_man"]])
    meetings = aid_worker.call("lco.meeting", "search_read", [], fields=["case_id"])
    assert {meeting["case_id"][0] for meeting in meetings} == {demo["case_family"]}


def test_aid_worker_cannot_change_the_case(aid_worker, demo):
    assert_refused(
        aid_worker.call, "lco.case", "write", [demo["case_family"]], {"goals": "x"}
    )


def test_aid_worker_reports_on_his_own_agreement(aid_worker, demo):
    agreement_id = demo["agreement_family_school_again"]
    aid_worker.call(
        "lco.agreement",
        "write",
        [agreement_id],
        {"state": "done", "outcome_note": "Talk held with the class teacher."},
    )
    [agreement] = aid_worker.call(
        "lco.agreement", "read", [agreement_id], ["state", "outcome_note"]
    )
    assert agreement["state"] == "done"
    assert agreement["outcome_note"] == "Talk held with the class teacher."


def test_aid_worker_cannot_rewrite_what_was_agreed(aid_worker, demo):
    assert_refused(
        aid_worker.call,
        "lco.agreement",
        "write",
        [demo["agreement_family_school_again"]],
        {"deadline": "2099-01-01"},
    )


def test_aid_worker_cannot_update_someone_elses_agreement(aid_worker, demo):
    assert_refused(
        aid_worker.call,
        "lco.agreement",
        "write",
        [demo["agreement_family_budget"]],
        {"state": "done"},
    )


def test_second_organisation_sees_only_its_own_case(demo_server, demo):
    other = demo_server.client("coordinator2")
    assert set(visible_cases(other, demo)) == {demo["case_maasvallei"]}


def test_manager_sees_every_case_of_his_organisation(demo_server, demo):
    manager = demo_server.client("manager")
    assert set(visible_cases(manager, demo)) == {
        demo["case_family"],
        demo["case_young_man"],
        demo["case_anonymised"],
    }


def test_the_anonymised_demo_case_keeps_only_the_figures(coordinator, demo):
    [case] = coordinator.call(
        "lco.case",
        "read",
        [demo["case_anonymised"]],
        ["client_id", "question", "close_note", "state", "anonymised_date"],
    )
    assert case["anonymised_date"]
    assert case["state"] == "closed"
    assert not case["client_id"] and not case["question"] and not case["close_note"]
    with pytest.raises(xmlrpc.client.Fault) as refusal:
        coordinator.call(
            "lco.case", "write", [demo["case_anonymised"]], {"question": "Back again"}
        )
    assert "was anonymised" in refusal.value.faultString


def test_coordinator_reads_the_application_in_dutch(coordinator):
    [user] = coordinator.call("res.users", "read", [coordinator.uid], ["lang"])
    assert user["lang"] == "nl_BE"
    fields = coordinator.call(
        "lco.case",
        "fields_get",
        ["state", "pivot_id"],
        attributes=["string", "selection"],
        context={"lang": "nl_BE"},
    )
    assert fields["pivot_id"]["string"] == "Spilfiguur"
    assert dict(fields["state"]["selection"])["draft"] == "In voorbereiding"
    menus = coordinator.call(
        "ir.ui.menu",
        "search_read",
        [("parent_id", "=", False), ("name", "=", "Cliëntoverleg")],
        fields=["name"],
        context={"lang": "nl_BE"},
    )
    assert len(menus) == 1
