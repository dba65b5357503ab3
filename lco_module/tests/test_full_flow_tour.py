import io

from odoo.tests import HttpCase, tagged
from odoo.tools.pdf import PdfFileReader

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
        # A Dutch-speaking OCMW: everyone around the table reads Dutch.
        (self.external_worker | self.aid_worker_a.partner_id).lang = "nl_BE"

    def _render_real_pdfs(self):
        """Odoo renders HTML instead of PDF under test: send real PDFs."""
        Report = type(self.env["ir.actions.report"])
        render = Report._render_qweb_pdf

        def render_pdf(report, report_ref, res_ids=None, data=None):
            report = report.with_context(force_report_rendering=True)
            return render(report, report_ref, res_ids=res_ids, data=data)

        self.patch(Report, "_render_qweb_pdf", render_pdf)

    def test_dutch_coordinator_walks_the_whole_method(self):
        """Issue 8: a Dutch coordinator accepts a request with a new client
        contact and sends the report of its first meeting; the contact, the
        mail and the report are Dutch."""
        self._render_real_pdfs()
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

        # The PDF that went out with the mail is Dutch too.
        [pdf] = report_mail[0].attachment_ids
        self.assertEqual(pdf.mimetype, "application/pdf")
        pages = PdfFileReader(io.BytesIO(pdf.raw)).pages
        text = " ".join(" ".join(page.extract_text().split()) for page in pages)
        self.assertIn("Werkplan", text)
        self.assertIn("Tour Cliënt", text)
        self.assertNotIn("Work plan", text)
