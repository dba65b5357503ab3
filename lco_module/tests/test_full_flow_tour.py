from odoo.tests import HttpCase, tagged

from .common_request import LcoRequestCommon

MEETING_REPORT = "lco_module.action_report_lco_meeting"


@tagged("post_install", "-at_install", "is_tour")
class TestFullFlowTour(HttpCase, LcoRequestCommon):
    def setUp(self):
        super().setUp()
        self.env["res.lang"]._activate_lang("nl_BE")
        self.env["ir.module.module"].search(
            [("name", "=", "lco_module")]
        )._update_translations("nl_BE", overwrite=True)
        self.coordinator_a.write({"lang": "nl_BE", "tz": "Europe/Brussels"})

    def test_dutch_coordinator_walks_the_whole_method(self):
        """Issue 8: a Dutch coordinator accepts a request with a new client
        contact and sends the report of its first meeting; the contact, the
        mail and the report are Dutch."""
        request = self._request(client_name="Tour Cliënt", requester_lang="nl_BE")
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Tour Cliënt")]))

        self.start_tour(
            f"/odoo/action-lco_module.action_lco_request/{request.id}",
            "lco_coordinator_full_flow_tour",
            login=self.coordinator_a.login,
        )

        case = request.case_id
        client = case.client_id
        self.assertEqual(client.name, "Tour Cliënt")
        self.assertEqual(client.lang, "nl_BE")
        self.assertEqual(case.state, "active")
        self.assertEqual(case.pivot_id.partner_id, self.external_worker)
        meeting = case.meeting_ids
        self.assertEqual(meeting.state, "reported")
        report_mail = meeting.message_ids.filtered(
            lambda m: "deelnemers" in (m.body or "")
        )
        self.assertTrue(report_mail, "The report mail is written in Dutch.")
        self.assertIn("Beste deelnemers", report_mail[0].body)
        self.assertNotIn("Dear participants", report_mail[0].body)
        html = (
            self.env["ir.actions.report"]
            .with_user(self.coordinator_a)
            .with_context(lang="en_US")
            ._render_qweb_html(MEETING_REPORT, meeting.ids)[0]
            .decode()
        )
        self.assertIn("Werkplan", html)
