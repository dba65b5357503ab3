import json
import re
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.lco_module.tests.common_request import LcoRequestCommon

from ..controllers.request_form import FORM_URL, THANKS_URL
from ..models.lco_request import RATE_LIMIT_PARAM

VALID = {
    "requester_type": "network",
    "requester_name": "Rita Buur",
    "requester_organisation": "",
    "requester_email": "rita@example.com",
    "requester_phone": "",
    "client_name": "Sarah Formulier",
    "client_birthdate": "1990-05-17",
    "client_street": "Kerkstraat 5",
    "client_zip": "9901",
    "client_city": "Testdorp",
    "client_phone": "0470 11 22 33",
    "client_email": "sarah@example.com",
    "question": "Sarah wants to stay in her flat and see her children again.",
    "services_involved": "CAW, the school",
    "urgency": "1",
    "client_informed": "on",
    "client_agrees": "on",
}
# A value the form refuses, for each field it checks.
INVALID = {
    "requester_type": "boss",
    "requester_name": "",
    "requester_email": "rita@",
    "requester_phone": "call me",
    "client_name": " ",
    "client_birthdate": "2999-01-01",
    "client_street": "x" * 201,
    "client_zip": "99011",
    "client_city": "x" * 101,
    "client_phone": "12",
    "client_email": "sarah.example.com",
    "question": "   ",
    "services_involved": "x" * 2001,
    "urgency": "9",
}


@tagged("post_install", "-at_install")
class TestRequestForm(LcoRequestCommon, HttpCase):
    """Anyone asks for a client consultation on the public form."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env["res.lang"]._lang_get("nl_BE"):
            cls.env["res.lang"]._activate_lang("nl_BE")
            for module in ("lco_module", "lco_request_form"):
                cls.env.ref(f"base.module_{module}")._update_translations("nl_BE")

    def setUp(self):
        super().setUp()
        self.authenticate(None, None)
        self.token = None

    def _requests(self):
        return self.env["lco.request"].search([("channel", "=", "web")])

    def _post(self, csrf=True, life_domains=None, lang="en_US", **changes):
        if csrf and not self.token:
            page = self.url_open(f"{FORM_URL}?lang={lang}")
            self.token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]
        data = [
            (k, v)
            for k, v in {**VALID, "lang": lang, **changes}.items()
            if v is not None
        ]
        data += [
            ("life_domain_ids", str(i))
            for i in (life_domains or self.life_domain_housing).ids
        ]
        if csrf:
            data.append(("csrf_token", self.token))
        return self.url_open(FORM_URL, data=data, allow_redirects=False)

    def assertNothingStored(self, before):
        self.assertEqual(self._requests(), before)

    def test_form_is_dutch_by_default_and_offers_the_installed_languages(self):
        page = self.url_open(FORM_URL)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Een lokaal cliëntoverleg aanvragen", page.text)
        self.assertIn("Huisvesting", page.text)
        # With Website, its links carry the language's prefix (/nl/...).
        self.assertRegex(page.text, rf'href="(/nl)?{FORM_URL}\?lang=en_US"')
        english = self.url_open(f"{FORM_URL}?lang=en_US")
        self.assertIn("Request a local client consultation", english.text)
        self.assertIn("Housing", english.text)
        unknown = self.url_open(f"{FORM_URL}?lang=xx_XX")
        self.assertIn("Een lokaal cliëntoverleg aanvragen", unknown.text)

    def test_valid_request_is_stored_and_thanked_for(self):
        before = self._requests()
        response = self._post(life_domains=self.life_domain_housing | self.health)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(
            response.headers["Location"].endswith(f"{THANKS_URL}?lang=en_US")
        )
        request = self._requests() - before
        self.assertEqual(request.client_name, "Sarah Formulier")
        self.assertEqual(str(request.client_birthdate), "1990-05-17")
        self.assertEqual(
            request.life_domain_ids, self.life_domain_housing | self.health
        )
        self.assertEqual(request.urgency, "1")
        self.assertEqual(request.requester_type, "network")
        self.assertEqual(request.requester_lang, "en_US")
        self.assertEqual(request.state, "new")
        self.assertEqual(request.company_id, self.company_a)
        self.assertFalse(request.requester_user_id)
        self.assertFalse(request.requester_partner_id)
        self.assertFalse(request.message_follower_ids)
        self.assertTrue(request.client_informed and request.client_agrees)
        self.assertNotIn("127.0.0.1", request.remote_addr_hash)

        thanks = self.url_open(response.headers["Location"])
        self.assertEqual(thanks.status_code, 200)
        self.assertIn("your request was sent", thanks.text)
        # Only the reference of the request is shown back (issue 8).
        self.assertIn(request.name, thanks.text)
        for value in ("Sarah", "Kerkstraat"):
            self.assertNotIn(value, thanks.text)

    def test_each_invalid_field_is_refused_next_to_it_and_the_rest_kept(self):
        before = self._requests()
        for field, value in INVALID.items():
            with self.subTest(field=field):
                response = self._post(**{field: value})
                self.assertEqual(response.status_code, 400)
                self.assertIn(f'id="lco_{field}_error"', response.text)
                self.assertEqual(response.text.count("invalid-feedback"), 1)
                kept = (
                    VALID["client_street"]
                    if field != "client_street"
                    else VALID["question"]
                )
                self.assertIn(kept, response.text)
        response = self._post(
            life_domains=self.life_domain_housing, life_domain_ids="999999"
        )
        self.assertIn('id="lco_life_domain_ids_error"', response.text)
        self.assertIn('checked="checked"', response.text)
        self.assertNothingStored(before)

    def test_odd_input_is_cleaned_or_refused(self):
        before = self._requests()
        self.assertEqual(self._post(question="Help\x00 her").status_code, 303)
        self.assertEqual((self._requests() - before).question, "Help her")
        before = self._requests()
        response = self._post(requester_type=None, urgency=None)
        self.assertEqual(response.status_code, 400)
        self.assertIn('id="lco_requester_type_error"', response.text)
        self.assertIn('id="lco_urgency_error"', response.text)
        self.assertNothingStored(before)

    def test_a_way_to_reach_the_requester_is_required(self):
        response = self._post(requester_email="", requester_phone="")
        self.assertEqual(response.status_code, 400)
        self.assertIn('id="lco_requester_email_error"', response.text)
        client_himself = self._post(
            requester_type="client",
            requester_name="",
            requester_email="",
            client_email="",
        )
        self.assertEqual(client_himself.status_code, 303)

    def test_request_without_the_clients_agreement_is_refused(self):
        before = self._requests()
        response = self._post(client_informed=None, client_agrees=None)
        self.assertEqual(response.status_code, 400)
        self.assertIn('id="lco_client_informed_error"', response.text)
        self.assertIn('id="lco_client_agrees_error"', response.text)
        self.assertIn("Sarah Formulier", response.text)
        self.assertNothingStored(before)

    def test_errors_speak_the_language_of_the_form(self):
        response = self._post(lang="nl_BE", client_zip="abc")
        self.assertIn("vier cijfers", response.text)

    def test_honeypot_filled_stores_nothing_and_looks_sent(self):
        before = self._requests()
        mails_before = self.env["mail.mail"].search([])
        response = self._post(homepage="https://spam.example")
        self.assertEqual(response.status_code, 303)
        self.assertIn(THANKS_URL, response.headers["Location"])
        self.assertNothingStored(before)
        self.assertEqual(self.env["mail.mail"].search([]), mails_before)

    def test_rate_limit_per_address(self):
        self.env["ir.config_parameter"].set_param(RATE_LIMIT_PARAM, 3)
        Request = self.env["lco.request"]
        addr_hash = Request._remote_addr_hash("127.0.0.1")
        Request.create(
            [self._request_values(remote_addr_hash=addr_hash) for _ in range(2)]
        )
        self.assertEqual(self._post().status_code, 303)
        before = self._requests()
        response = self._post(client_name="Vierde Aanvraag")
        self.assertEqual(response.status_code, 429)
        self.assertIn("Too many requests", response.text)
        self.assertIn("Vierde Aanvraag", response.text)
        self.assertNothingStored(before)

    def test_post_without_csrf_token_is_refused(self):
        before = self._requests()
        with self.assertLogs("odoo.http", "WARNING"):
            self.assertEqual(self._post(csrf=False).status_code, 400)
            forged = self._post(csrf=False, csrf_token="0123456789abcdefo9999999999")
        self.assertEqual(forged.status_code, 400)
        self.assertNothingStored(before)

    def test_script_and_html_are_stored_as_text_and_shown_escaped(self):
        script = '<script>alert("lco")</script>'
        response = self._post(
            client_name=script, question="<b>bold</b>", client_agrees=None
        )
        self.assertEqual(response.status_code, 400)
        self.assertNotIn(script, response.text)
        self.assertNotIn("<b>bold</b>", response.text)
        self.assertIn("&lt;script&gt;alert(", response.text)
        self.assertIn("&lt;b&gt;bold&lt;/b&gt;", response.text)

        before = self._requests()
        self.assertEqual(
            self._post(client_name=script, question="<b>bold</b>").status_code, 303
        )
        request = self._requests() - before
        self.assertEqual(request.client_name, script)
        self.assertEqual(request.question, "<b>bold</b>")
        self.assertNotIn("<script>", "".join(request.message_ids.mapped("body")))

    def test_confirmation_mail_is_queued_without_client_data(self):
        before = self._requests()
        self._post()
        request = self._requests() - before
        [mail] = self.env["mail.mail"].search(
            [
                ("model", "=", "lco.request"),
                ("res_id", "=", request.id),
                ("email_to", "!=", False),
            ]
        )
        self.assertEqual(mail.email_to, "rita@example.com")
        self.assertEqual(mail.state, "outgoing")
        self.assertIn(request.name, mail.subject)
        self.assertIn(request.name, mail.body_html)
        text = mail.subject + mail.body_html
        for value in (
            "Sarah",
            "Formulier",
            "Kerkstraat",
            "9901",
            "1990",
            "0470",
            "sarah@example.com",
            "flat",
            "CAW",
            "Rita",
        ):
            self.assertNotIn(value, text)

    def test_no_confirmation_mail_without_an_address(self):
        before = self._requests()
        self._post(requester_email="", requester_phone="+32 470 55 66 77")
        request = self._requests() - before
        self.assertFalse(
            self.env["mail.mail"].search(
                [
                    ("res_id", "=", request.id),
                    ("model", "=", "lco.request"),
                    ("email_to", "!=", False),
                ]
            )
        )

    def test_request_is_routed_by_postcode_with_a_fallback(self):
        before = self._requests()
        self._post(client_zip="9903")
        routed = self._requests() - before
        self.assertEqual(routed.company_id, self.company_b)
        self.assertFalse(routed.is_unrouted)
        self._post(client_zip="1000")
        unrouted = self._requests() - before - routed
        self.assertEqual(unrouted.company_id, self.company_a)
        self.assertTrue(unrouted.is_unrouted)

    def test_nothing_sent_can_be_read_back_from_the_web(self):
        self._post()
        response = self.url_open(
            "/web/dataset/call_kw/lco.request/search_read",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "model": "lco.request",
                        "method": "search_read",
                        "args": [[]],
                        "kwargs": {"fields": ["client_name"]},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertIn("error", response.json())
        self.assertNotIn("Sarah", response.text)


@tagged("post_install", "-at_install")
class TestThanksReference(LcoRequestCommon, HttpCase):
    """The thank-you page gives the sender his request's reference, and nothing
    else, to him only."""

    def _post(self):
        self.authenticate(None, None)
        page = self.url_open(f"{FORM_URL}?lang=en_US")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]
        data = [(k, v) for k, v in {**VALID, "lang": "en_US"}.items()]
        data += [("life_domain_ids", str(self.life_domain_housing.id))]
        data.append(("csrf_token", token))
        return self.url_open(FORM_URL, data=data, allow_redirects=False)

    def test_thanks_page_shows_the_reference_once(self):
        before = self.env["lco.request"].search([("channel", "=", "web")])
        response = self._post()
        self.assertEqual(response.status_code, 303)
        request = self.env["lco.request"].search([("channel", "=", "web")]) - before
        self.assertTrue(request.name)
        # The URL carries no reference: nobody reads one from a link.
        self.assertNotIn(request.name, response.headers["Location"])
        thanks = self.url_open(response.headers["Location"])
        self.assertEqual(thanks.status_code, 200)
        self.assertIn(request.name, thanks.text)
        self.assertNotIn("Sarah", thanks.text)
        again = self.url_open(THANKS_URL)
        self.assertNotIn(request.name, again.text)
        # A reference in the URL is not shown back.
        forged = self.url_open(f"{THANKS_URL}?reference={request.name}")
        self.assertNotIn(request.name, forged.text)


@tagged("post_install", "-at_install")
class TestRequestFormInput(LcoRequestCommon, HttpCase):
    """Item 13: the public form answers 400 with its errors, never 500."""

    def setUp(self):
        super().setUp()
        self.authenticate(None, None)
        page = self.url_open(f"{FORM_URL}?lang=en_US")
        self.token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]

    def _post(self, data, files=None):
        base = {
            "csrf_token": self.token,
            "lang": "en_US",
            "requester_type": "network",
            "requester_name": "Rita Buur",
            "requester_email": "rita@example.com",
            "client_name": "Sarah Formulier",
            "client_zip": "9901",
            "question": "Sarah wants to stay in her flat.",
            "urgency": "1",
            "client_informed": "on",
            "client_agrees": "on",
        }
        if isinstance(data, dict):
            data = list({**base, **data}.items())
        else:
            data = list(base.items()) + data
        return self.url_open(FORM_URL, data=data, files=files, allow_redirects=False)

    def _requests(self):
        return self.env["lco.request"].search([("channel", "=", "web")])

    def test_odd_life_domains_are_refused_with_the_form(self):
        before = self._requests()
        # Digits to Python (str.isdigit), not to int() or to PostgreSQL.
        for value in (
            "\u00b2",
            "\u0663",
            "99999999999999999999",
            "-1",
            "1e3",
            " 1",
            "",
        ):
            with self.subTest(value=value):
                response = self._post([("life_domain_ids", value)])
                self.assertEqual(response.status_code, 400)
                self.assertIn('id="lco_life_domain_ids_error"', response.text)
                self.assertIn("Sarah Formulier", response.text)
        self.assertEqual(self._requests(), before)

    def test_odd_shapes_of_input_are_refused_with_the_form(self):
        before = self._requests()
        cases = [
            ([("life_domain_ids[]", "1")], None, 303),
            ({"client_zip": "\uff19\uff19\uff10\uff11"}, None, 400),
            ({"client_birthdate": "\uff11\uff19\uff19\uff10-01-01"}, None, 400),
            ([("requester_type", "client")], None, 303),
            ({}, {"requester_type": ("x.txt", b"network", "text/plain")}, 400),
            ({}, {"lang": ("x.txt", b"en_US", "text/plain")}, 303),
            ({"lang": "\x00"}, None, 303),
        ]
        for data, files, status in cases:
            with self.subTest(data=data, files=files and list(files)):
                response = self._post(data, files=files)
                self.assertEqual(response.status_code, status, response.text[-300:])
        self.assertEqual(len(self._requests() - before), 4)


@tagged("post_install", "-at_install")
class TestSenderAddresses(LcoRequestCommon):
    """Where a public request came from is kept for the rate limit only."""

    def test_public_sender_addresses_are_forgotten_after_a_day(self):
        Request = self.env["lco.request"]
        addr_hash = Request._remote_addr_hash("192.0.2.7")
        self.assertNotIn("192.0.2.7", addr_hash)
        old, recent = Request.create(
            [self._request_values(remote_addr_hash=addr_hash) for _ in range(2)]
        )
        self.env.cr.execute(
            "UPDATE lco_request SET create_date = %s WHERE id = %s",
            (fields.Datetime.now() - timedelta(days=2), old.id),
        )
        old.invalidate_recordset(["create_date"])
        self.env.ref(
            "lco_request_form.ir_cron_lco_request_forget_senders"
        ).method_direct_trigger()
        self.assertFalse(old.sudo().remote_addr_hash)
        self.assertEqual(recent.sudo().remote_addr_hash, addr_hash)

    def test_anonymising_a_request_forgets_where_it_came_from(self):
        """The fingerprint is personal data of the request (the base's
        anonymisation writes what _lco_personal_values says)."""
        Request = self.env["lco.request"]
        addr_hash = Request._remote_addr_hash("192.0.2.8")
        request = Request.create(self._request_values(remote_addr_hash=addr_hash))
        # Declined (as the decision wizard leaves it; its checks are not the
        # point here).
        self.env.cr.execute(
            "UPDATE lco_request SET state = 'declined' WHERE id = %s", [request.id]
        )
        request.invalidate_recordset(["state"])
        request.sudo()._lco_anonymise()
        self.assertTrue(request.sudo().anonymised_date)
        self.assertFalse(request.sudo().remote_addr_hash)
