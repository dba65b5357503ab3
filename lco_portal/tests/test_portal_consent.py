import re
from datetime import timedelta

from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from odoo.addons.lco_module.tests.common_portal import LcoPortalCommon


@tagged("post_install", "-at_install")
class TestPortalConsent(LcoPortalCommon, HttpCase):
    """Finding 4: consent is given in the portal only by the client (or the
    representative the consent names) himself, on /my/lco."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        case = cls.case_a1.with_user(cls.coordinator_a)
        cls.asked = cls.env["lco.consent"].browse(case.action_new_consent()["res_id"])
        cls.asked.line_ids.filtered(
            lambda line: line.partner_id == cls.aunt_a1
        ).scope = "work_plan"
        cls.previous = cls.case_a1.consent_id

    def page(self, user, url):
        self.authenticate(user.login, user.login)
        return self.url_open(url)

    def agree(self, user, consent):
        """``user`` posts "I agree" with the CSRF token of his own /my page."""
        page = self.page(user, "/my")
        token = re.search(r'csrf_token: "([^"]+)"', page.text) or re.search(
            r'name="csrf_token" value="([^"]+)"', page.text
        )
        return self.url_open(
            f"/my/lco/consent/{consent.id}/agree", data={"csrf_token": token[1]}
        )

    def test_client_reads_and_agrees(self):
        listing = self.page(self.portal_client, "/my/lco")
        self.assertIn(f"/my/lco/consent/{self.asked.id}", listing.text)
        page = self.page(self.portal_client, f"/my/lco/consent/{self.asked.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("I agree</button>", page.text)
        self.assertIn("Rita Aunt", page.text)
        self.assertIn("only the work plan", page.text)
        self.assertIn("Aid Worker A", page.text)
        self.assertIn("the full report of each meeting", page.text)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]
        done = self.url_open(
            f"/my/lco/consent/{self.asked.id}/agree", data={"csrf_token": token}
        )
        self.assertEqual(done.status_code, 200)
        self.assertIn("your consent was recorded", done.text)
        self.env.invalidate_all()
        self.assertEqual(self.asked.state, "given")
        self.assertEqual(self.asked.method, "portal")
        self.assertEqual(self.asked.date_given, self.today)
        self.assertTrue(self.asked.valid_until)
        self.assertEqual(self.case_a1.consent_id, self.asked)
        self.assertEqual(self.previous.state, "expired")
        told = self.case_a1.message_ids.filtered(
            lambda m: "gave consent" in (m.body or "")
        )
        self.assertEqual(told.author_id, self.client_a1)
        self.assertEqual(told.partner_ids, self.coordinator_a.partner_id)
        # Once given, it is no longer offered.
        again = self.agree(self.portal_client, self.asked)
        self.assertEqual(again.status_code, 404)

    def test_nobody_else_gives_it(self):
        for user in (self.portal_aunt, self.portal_external, self.portal_client_b):
            page = self.page(user, f"/my/lco/consent/{self.asked.id}")
            self.assertEqual(page.status_code, 404, user.login)
            self.assertNotIn("Kim Client", page.text)
            self.assertNotIn("Aid Worker A", page.text)
            self.assertNotIn(self.asked.case_id.name, page.text)
            self.assertEqual(self.agree(user, self.asked).status_code, 404)
        for consent_id in (self.previous.id, 999999999):
            page = self.page(self.portal_client, f"/my/lco/consent/{consent_id}")
            self.assertEqual(page.status_code, 404)
        # Without the CSRF token, not even the client.
        self.authenticate(self.portal_client.login, self.portal_client.login)
        forged = self.url_open(
            f"/my/lco/consent/{self.asked.id}/agree", data={"agree": "1"}
        )
        self.assertEqual(forged.status_code, 400)
        # An internal user (the coordinator) does not give it in his name either.
        page = self.page(self.coordinator_a, f"/my/lco/consent/{self.asked.id}")
        self.assertEqual(page.status_code, 404)
        self.env.invalidate_all()
        self.assertEqual(self.asked.state, "requested")
        self.assertEqual(self.case_a1.consent_id, self.previous)

    def test_representative_gives_it_not_the_client(self):
        self.asked.write(
            {
                "given_by": "representative",
                "representative_id": self.aunt_a1.id,
                "representative_capacity": "guardian",
            }
        )
        self.assertEqual(self.agree(self.portal_client, self.asked).status_code, 404)
        page = self.page(self.portal_aunt, f"/my/lco/consent/{self.asked.id}")
        self.assertIn("Kim Client", page.text)
        self.assertEqual(self.agree(self.portal_aunt, self.asked).status_code, 200)
        self.env.invalidate_all()
        self.assertEqual(self.asked.state, "given")
        self.assertEqual(self.asked.method, "portal")

    def test_portal_users_give_nothing_over_rpc(self):
        self.authenticate(self.portal_client.login, self.portal_client.login)
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/lco.consent/action_give",
                {
                    "model": "lco.consent",
                    "method": "action_give",
                    "args": [self.asked.ids],
                    "kwargs": {},
                },
            )
        self.assertEqual(self.asked.state, "requested")

    def test_the_end_the_coordinator_proposed_holds(self):
        self.asked.with_user(self.coordinator_a).valid_until = self.today + timedelta(
            days=30
        )
        self.assertEqual(self.agree(self.portal_client, self.asked).status_code, 200)
        self.env.invalidate_all()
        self.assertEqual(self.asked.valid_until, self.today + timedelta(days=30))
