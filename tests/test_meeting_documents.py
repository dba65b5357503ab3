"""A coordinator prints the documents of a meeting from the web client, in Dutch."""

import subprocess

import pytest
from test_web_client import login


def pdf_text(content):
    """The words of the PDF, whatever lines the table cells wrapped them on."""
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    return " ".join(text.split())


@pytest.fixture(scope="module")
def report_url(demo_server, admin):
    """wkhtmltopdf fetches the report styles from the server that renders it."""
    admin.call("ir.config_parameter", "set_param", "report.url", demo_server.url)
    return f"{demo_server.url}/report/pdf"


def test_coordinator_prints_the_meeting_report(demo_server, admin, report_url):
    meeting = admin.ref("lco_module.meeting_family_2")
    [agreement] = admin.call(
        "lco.agreement",
        "read",
        [admin.ref("lco_module.agreement_family_budget")],
        ["name"],
    )
    session = login(demo_server, "coordinator")
    response = session.get(
        f"{report_url}/lco_module.report_lco_meeting/{meeting}", timeout=120
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in (
        "OCMW Heidebeek",
        "Verslag van het lokaal cliëntoverleg",
        "Kim Vermeulen",
        "Werkplan",
        " ".join(agreement["name"].split()[:3]),
        "Evaluatie van de vorige afspraken",
        "Gedeeld beroepsgeheim",
    ):
        assert expected in text


def test_invitation_letters_for_the_next_meeting(demo_server, admin, report_url):
    attendees = admin.call(
        "lco.meeting.attendee",
        "search",
        [("meeting_id", "=", admin.ref("lco_module.meeting_family_3"))],
    )
    session = login(demo_server, "coordinator")
    response = session.get(
        f"{report_url}/lco_module.report_lco_invitation/"
        + ",".join(map(str, attendees[:3])),
        timeout=120,
    )
    text = pdf_text(response.content)
    assert text.count("Uitnodiging voor een opvolgoverleg") == 3
    assert "Heidestraat 14" in text


def test_another_organisation_cannot_print_it(demo_server, admin, report_url):
    meeting = admin.ref("lco_module.meeting_family_2")
    session = login(demo_server, "coordinator2")
    response = session.get(
        f"{report_url}/lco_module.report_lco_meeting/{meeting}", timeout=120
    )
    assert response.headers.get("Content-Type") != "application/pdf"
    assert "Kim Vermeulen" not in response.text
