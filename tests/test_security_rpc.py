"""Issue 7 over real XML-RPC: the other organisation cannot change who a case's
reports go to, and bad input gets a clear message, never a database error."""

import xmlrpc.client

import pytest


@pytest.fixture(scope="module")
def demo(admin):
    return admin.demo_ids("case_family", "partner_housing_counsellor")


def fault_of(call, *args, **kwargs):
    """The message of a refusal: a user error (fault 2) or an access error
    (fault 4), never an internal error with its traceback (fault 1)."""
    with pytest.raises(xmlrpc.client.Fault) as caught:
        call(*args, **kwargs)
    assert caught.value.faultCode in (2, 4), caught.value.faultString
    return caught.value.faultString


def test_other_organisation_cannot_redirect_a_participant_mail(
    coordinator2, admin, demo
):
    counsellor = demo["partner_housing_counsellor"]
    message = fault_of(
        coordinator2.call,
        "res.partner",
        "write",
        [counsellor],
        {"email": "attacker@example.com"},
    )
    # He reads none of the counsellor's cases: nothing names a consultation.
    assert "consultation" not in message and "overleg" not in message
    [partner] = admin.call("res.partner", "read", [counsellor], ["email"])
    assert partner["email"] == "ann.smets@caw.example"


@pytest.mark.parametrize(
    "vals",
    [
        {"state": "bogus"},
        {"date_requested": "not a date"},
        {"color": "red"},
        {"client_id": 999999999},
        {"name": "LCO/1999/0001"},
    ],
)
def test_bad_values_get_a_clear_message(coordinator, demo, vals):
    message = fault_of(
        coordinator.call, "lco.case", "write", [demo["case_family"]], vals
    )
    assert "psycopg2" not in message and "Traceback" not in message
