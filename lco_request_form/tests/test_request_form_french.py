import re

from odoo.tests import HttpCase, tagged

from odoo.addons.lco_module.tests.common_request import LcoRequestCommon
from odoo.addons.lco_module.tests.test_bilingual import load_languages

from ..controllers.request_form import FORM_URL


@tagged("post_install", "-at_install", "is_tour")
class TestRequestFormFrench(LcoRequestCommon, HttpCase):
    """The public form in French, on a phone: the page, the thanks, the
    confirmation mail and the request follow the visitor's choice."""

    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_languages(cls.env)

    def test_french_visitor_on_a_phone(self):
        before = self.env["lco.request"].search([("channel", "=", "web")])
        self.start_tour(FORM_URL, "lco_request_form_fr_tour", login=None)
        request = self.env["lco.request"].search([("channel", "=", "web")]) - before
        self.assertEqual(request.client_name, "Luc Formulaire")
        self.assertEqual(request.requester_lang, "fr_BE")
        [mail] = self.env["mail.mail"].search(
            [
                ("model", "=", "lco.request"),
                ("res_id", "=", request.id),
                ("email_to", "!=", False),
            ]
        )
        self.assertIn("Votre demande de concertation", mail.subject)
        self.assertIn(request.date_received.strftime("%d/%m/%Y"), mail.body_html)

    def test_the_choice_is_kept_without_the_url(self):
        self.authenticate(None, None)
        french = self.url_open(f"{FORM_URL}?lang=fr_BE")
        self.assertIn("Demander une concertation locale", french.text)
        self.assertIn('name="lang" value="fr_BE"', french.text)
        again = self.url_open(FORM_URL)
        self.assertIn("Demander une concertation locale", again.text)
        self.assertTrue(re.search(r'<html[^>]* lang="fr-BE"', again.text))
        dutch = self.url_open(f"{FORM_URL}?lang=nl_BE")
        self.assertIn("Een lokaal cliëntoverleg aanvragen", dutch.text)
