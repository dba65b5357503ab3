"""The public request form (lco_request_form) on a database that runs Odoo's
Website app: the form and its thank-you page answer in the website's layout
(issue 8, item 5)."""

import re

import pytest
import requests
from conftest import serving_new_database

WEBSITE_DB = "lco_website"
FORM = {
    "requester_type": "professional",
    "requester_name": "Wim Website",
    "requester_email": "wim@example.com",
    "client_name": "Client Via Website",
    "client_zip": "9000",
    "question": "He wants to keep his home.",
    "urgency": "0",
    "client_informed": "on",
    "client_agrees": "on",
}


@pytest.fixture(scope="module")
def website_server(tmp_path_factory):
    """Odoo on a database with Website and the form's module, without demo data."""
    with serving_new_database(
        WEBSITE_DB, "website,lco_request_form", tmp_path_factory.mktemp("website")
    ) as server:
        yield server


def test_form_and_thanks_in_the_website_layout(website_server):
    browser = requests.Session()
    form_url = f"{website_server.url}/lco/aanvraag"
    page = browser.get(form_url, params={"lang": "en_US"}, timeout=60)
    assert page.status_code == 200, page.text[-2000:]
    # The website's layout: its header and footer around the form.
    assert 'data-website-id="' in page.text
    assert '<header id="top"' in page.text
    assert '<footer id="bottom"' in page.text
    assert "o_lco_request_form" in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]

    sent = browser.post(
        form_url,
        data={**FORM, "lang": "en_US", "csrf_token": token},
        allow_redirects=False,
        timeout=60,
    )
    assert sent.status_code in (302, 303), sent.text[-2000:]
    assert "/lco/aanvraag/bedankt" in sent.headers["Location"]

    thanks = browser.get(
        requests.compat.urljoin(form_url, sent.headers["Location"]), timeout=60
    )
    assert thanks.status_code == 200, thanks.text[-2000:]
    assert 'data-website-id="' in thanks.text
    assert "Thank you, your request was sent" in thanks.text

    admin = website_server.client("admin")
    [stored] = admin.call(
        "lco.request",
        "search_read",
        [("client_name", "=", "Client Via Website")],
        fields=["name", "channel"],
    )
    assert stored["channel"] == "web"
    # Its reference, and only that, is shown to the sender.
    assert stored["name"] in thanks.text
    # Another visitor opening the thank-you page sees no reference.
    other = requests.get(f"{website_server.url}/lco/aanvraag/bedankt", timeout=60)
    assert other.status_code == 200
    assert stored["name"] not in other.text
