import re
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, tagged

from odoo.addons.lco_module.tests.common_request import LcoRequestCommon

from ..controllers.request_form import FORM_URL, YOUTH_FORM_URL, YOUTH_THANKS_URL
from ..models.lco_request import RATE_LIMIT_PARAM

LANGS = ("nl_BE", "fr_BE")


def _birthdate_parts(birthdate):
    return {
        "birth_day": str(birthdate.day),
        "birth_month": str(birthdate.month),
        "birth_year": str(birthdate.year),
    }


FOURTEEN = date.today() - relativedelta(years=14, months=2)
VALID = {
    "requester_type": "parent",
    "requester_name": "Mama Jeugd",
    "requester_email": "mama@example.com",
    "client_name": "Lotte Jeugd",
    **_birthdate_parts(FOURTEEN),
    "client_zip": "9901",
    "question": "Lotte wants less fighting at home.",
    "urgency": "1",
    "client_informed": "on",
    "client_agrees": "on",
}


class YouthRequestCommon(LcoRequestCommon):
    """LcoRequestCommon, with OCMW B as the regional contact point that takes
    in the youth-care requests of 9901 (the local ones of 9901 go to OCMW A),
    and the addon's Dutch and French."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact_point = cls.company_b
        cls.env["lco.postcode.route"].create(
            {
                "zip": "9901",
                "city": "Adorp",
                "kind": "youth",
                "company_id": cls.contact_point.id,
            }
        )
        for lang in LANGS:
            cls.env["res.lang"]._activate_lang(lang)
        cls.env["ir.module.module"]._load_module_terms(
            ["lco_module", "lco_request_form"], list(LANGS), overwrite=True
        )

    def _web_requests(self):
        return self.env["lco.request"].search([("channel", "=", "web")])


@tagged("post_install", "-at_install")
class TestYouthRequestForm(YouthRequestCommon, HttpCase):
    """The young person and his circle ask for a youth-care client
    consultation on the public form's youth variant."""

    def setUp(self):
        super().setUp()
        self.authenticate(None, None)
        self.token = None

    def _post(self, url=YOUTH_FORM_URL, lang="en_US", **changes):
        if not self.token:
            page = self.url_open(f"{url}?lang={lang}")
            self.token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]
        data = {**VALID, "lang": lang, "csrf_token": self.token, **changes}
        data = {key: value for key, value in data.items() if value is not None}
        return self.url_open(url, data=data, allow_redirects=False)

    def test_each_requester_is_recorded_at_the_contact_point(self):
        for requester_type in (
            "young_person",
            "parent",
            "trusted_person",
            "support_figure",
            "professional",
        ):
            with self.subTest(requester_type=requester_type):
                before = self._web_requests()
                response = self._post(requester_type=requester_type)
                self.assertEqual(response.status_code, 303, response.text[-2000:])
                self.assertTrue(
                    response.headers["Location"].endswith(
                        f"{YOUTH_THANKS_URL}?lang=en_US"
                    )
                )
                request = self._web_requests() - before
                self.assertEqual(request.kind, "youth")
                self.assertEqual(request.requester_type, requester_type)
                self.assertEqual(request.company_id, self.contact_point)
                self.assertFalse(request.is_unrouted)
                self.assertEqual(request.client_birthdate, FOURTEEN)
                self.assertEqual(request.urgency, "1")
                self.assertFalse(request.life_domain_ids)
                self.assertTrue(request.client_informed and request.client_agrees)
        thanks = self.url_open(f"{YOUTH_THANKS_URL}?lang=en_US")
        self.assertIn("your question was sent", thanks.text)

    def test_the_local_form_still_routes_the_same_postcode_to_the_ocmw(self):
        before = self._web_requests()
        response = self._post(
            url=FORM_URL,
            requester_type="network",
            client_birthdate="2011-03-14",
            life_domain_ids=str(self.life_domain_housing.id),
        )
        self.assertEqual(response.status_code, 303, response.text[-2000:])
        request = self._web_requests() - before
        self.assertEqual(request.kind, "local")
        self.assertEqual(request.company_id, self.company_a)

    def test_the_young_person_asks_with_his_own_details(self):
        before = self._web_requests()
        response = self._post(
            requester_type="young_person",
            requester_name="",
            requester_email="",
            client_email="lotte@example.com",
            client_informed=None,
            client_agrees=None,
        )
        self.assertEqual(response.status_code, 303, response.text[-2000:])
        request = self._web_requests() - before
        self.assertEqual(request.requester_name, "Lotte Jeugd")
        self.assertEqual(request.requester_email, "lotte@example.com")
        self.assertTrue(request.client_informed and request.client_agrees)

    def test_someone_else_says_the_young_person_knows_and_agrees(self):
        before = self._web_requests()
        response = self._post(client_informed=None, client_agrees=None)
        self.assertEqual(response.status_code, 400)
        self.assertIn('id="lco_client_informed_error"', response.text)
        self.assertIn('id="lco_client_agrees_error"', response.text)
        self.assertIn('aria-describedby="lco_client_agrees_error"', response.text)
        self.assertEqual(self._web_requests(), before)

    def test_a_young_adult_of_25_is_refused_kindly(self):
        before = self._web_requests()
        birthday_25 = date.today() - relativedelta(years=25)
        response = self._post(lang="nl_BE", **_birthdate_parts(birthday_25))
        self.assertEqual(response.status_code, 400)
        self.assertIn('id="lco_client_birthdate_error"', response.text)
        self.assertIn('aria-describedby="lco_client_birthdate_error"', response.text)
        self.assertIn("tot 24 jaar", response.text)
        self.assertIn(f'href="{FORM_URL}?lang=nl_BE"', response.text)
        # What was typed stays on the form.
        self.assertIn("Lotte Jeugd", response.text)
        self.assertEqual(self._web_requests(), before)
        # The day before his 25th birthday he is 24: accepted.
        response = self._post(**_birthdate_parts(birthday_25 + relativedelta(days=1)))
        self.assertEqual(response.status_code, 303, response.text[-2000:])

    def test_the_birth_date_is_required_and_checked(self):
        before = self._web_requests()
        for parts in (
            {"birth_day": "", "birth_month": "", "birth_year": ""},
            {"birth_day": "31", "birth_month": "2", "birth_year": "2012"},
            {"birth_day": "1", "birth_month": "1", "birth_year": "2999"},
            {"birth_day": "\u00b2", "birth_month": "1", "birth_year": "2012"},
            {"birth_day": "1", "birth_month": "1", "birth_year": "12012"},
        ):
            with self.subTest(parts=parts):
                response = self._post(**parts)
                self.assertEqual(response.status_code, 400)
                self.assertIn('id="lco_client_birthdate_error"', response.text)
        self.assertEqual(self._web_requests(), before)

    def test_each_form_offers_its_own_requesters(self):
        before = self._web_requests()
        for requester_type in ("client", "network", "other", "boss"):
            with self.subTest(form="youth", requester_type=requester_type):
                response = self._post(requester_type=requester_type)
                self.assertEqual(response.status_code, 400)
                self.assertIn('id="lco_requester_type_error"', response.text)
        self.token = None
        for requester_type in ("young_person", "parent", "support_figure"):
            with self.subTest(form="local", requester_type=requester_type):
                response = self._post(
                    url=FORM_URL,
                    requester_type=requester_type,
                    life_domain_ids=str(self.life_domain_housing.id),
                )
                self.assertEqual(response.status_code, 400)
                self.assertIn('id="lco_requester_type_error"', response.text)
        self.assertEqual(self._web_requests(), before)
        local_page = self.url_open(f"{FORM_URL}?lang=en_US").text
        self.assertNotIn('value="young_person"', local_page)
        self.assertIn('value="network"', local_page)

    def test_the_rate_limit_counts_both_forms(self):
        self.env["ir.config_parameter"].set_param(RATE_LIMIT_PARAM, 2)
        Request = self.env["lco.request"]
        Request.create(
            self._request_values(
                remote_addr_hash=Request._remote_addr_hash("127.0.0.1")
            )
        )
        self.assertEqual(self._post().status_code, 303)
        before = self._web_requests()
        response = self._post(client_name="Derde Vraag")
        self.assertEqual(response.status_code, 429)
        self.assertIn("Too many requests", response.text)
        self.assertIn("Derde Vraag", response.text)
        self.assertEqual(self._web_requests(), before)

    def test_the_form_speaks_to_a_young_person_in_dutch_and_french(self):
        dutch = self.url_open(f"{YOUTH_FORM_URL}?lang=nl_BE").text
        for text in (
            "Wie vraagt het overleg aan?",
            "Ik ben de jongere zelf",
            "Ik ben een vertrouwenspersoon van de jongere",
            "Ik ben een steunfiguur van de jongere",
            "Wat wil je dat er verandert?",
            "Dag",
            "Binnenkort",
        ):
            self.assertIn(text, dutch)
        self.assertIn(f'href="{YOUTH_FORM_URL}?lang=fr_BE"', dutch)
        french = self.url_open(f"{YOUTH_FORM_URL}?lang=fr_BE").text
        for text in (
            "Qui demande la concertation ?",
            "Je suis le jeune moi-même",
            "Que veux-tu changer ?",
            "Jour",
        ):
            self.assertIn(text, french)
        response = self._post(lang="fr_BE", client_zip="abc")
        self.assertIn("quatre chiffres", response.text)


@tagged("post_install", "-at_install")
class TestYouthRequesterTypes(YouthRequestCommon):
    """The young person's circle asks for youth care only."""

    def test_a_local_request_is_not_asked_by_a_parent(self):
        with self.assertRaises(ValidationError):
            self._request(requester_type="parent")
        request = self._request(kind="youth", requester_type="support_figure")
        self.assertEqual(request.company_id, self.contact_point)
        with self.assertRaises(ValidationError):
            request.sudo().kind = "local"

    def _accept(self, request):
        request = self._taken(request, self.coordinator_b)
        self.env["lco.request.accept"].with_user(self.coordinator_b).create(
            {"request_id": request.id, "reason": "Yes.", "client_choice": "new"}
        ).action_accept()
        return request.case_id

    def test_the_requester_joins_the_youth_case_in_his_role(self):
        values = {
            "kind": "youth",
            "client_name": "Lotte Jeugd",
            "client_birthdate": FOURTEEN,
            "requester_name": "Mama Jeugd",
            "requester_email": "mama.jeugd@example.com",
            # Asked on someone's behalf by aid worker A: not his own contact.
            "requester_partner_id": False,
        }
        case = self._accept(self._request(requester_type="parent", **values))
        self.assertEqual(case.kind, "youth")
        self.assertEqual(case.company_id, self.contact_point)
        parent = case.participant_ids.filtered(
            lambda p: p.partner_id.email == "mama.jeugd@example.com"
        )
        self.assertEqual(parent.role, "parent")
        # The young person who asks himself is the client, not a participant
        # besides.
        case = self._accept(
            self._request(
                requester_type="young_person",
                **{
                    **values,
                    "client_name": "Sam Jeugd",
                    "requester_name": "Sam",
                    "requester_email": "sam@example.com",
                },
            )
        )
        self.assertFalse(
            case.participant_ids.filtered(
                lambda p: p.partner_id.email == "sam@example.com" and p.role != "client"
            )
        )


@tagged("post_install", "-at_install", "is_tour")
class TestYouthRequestFormTour(YouthRequestCommon, HttpCase):
    """A young person fills the youth form on a phone (375 by 667 pixels,
    touch screen) with the keyboard, and sees the thank-you page."""

    browser_size = "375x667"
    touch_enabled = True

    def test_young_person_on_a_phone(self):
        before = self._web_requests()
        self.start_tour(
            f"{YOUTH_FORM_URL}?lang=nl_BE", "lco_youth_request_form_tour", login=None
        )
        request = self._web_requests() - before
        self.assertEqual(request.client_name, "Lotte Jeugd")
        self.assertEqual(request.kind, "youth")
        self.assertEqual(request.requester_type, "young_person")
        self.assertEqual(request.company_id, self.contact_point)
        self.assertEqual(request.requester_email, "lotte@example.com")
        self.assertEqual(request.requester_lang, "nl_BE")
        self.assertEqual(request.client_birthdate.day, 14)
