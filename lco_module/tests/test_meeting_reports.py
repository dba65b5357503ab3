import logging
import re
import subprocess
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from ..models import ir_actions_report
from .common_meeting import LcoMeetingCommon

_logger = logging.getLogger(__name__)


def pdf_text(pdf):
    return subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


@tagged("post_install", "-at_install")
class TestMeetingReports(HttpCase, LcoMeetingCommon):
    """HttpCase: wkhtmltopdf fetches the report styles from the test server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.coordinator_a.lang = "nl_BE"
        cls.external_worker.lang = "nl_BE"
        cls.env["ir.module.module"].search(
            [("name", "=", "lco_module")]
        )._update_translations(["nl_BE"])
        cls.first = (
            cls.env["lco.meeting"]
            .with_user(cls.coordinator_a)
            .create(
                {
                    "case_id": cls.case_a1.id,
                    "start": fields.Datetime.now(),
                    "location": "Sociaal Huis Adorp, zaal 1",
                }
            )
        )
        cls.first.checklist_item_ids.is_done = True
        cls.first.agenda_item_ids = [
            Command.create({"name": "Kunnen we in ons huis blijven?", "summary": "Ja."})
        ]
        cls.first.action_schedule()
        cls.first.write(
            {
                "client_perspective": "Kim wil rust in huis.",
                "went_well": "De kinderen gaan elke dag naar school.",
            }
        )
        cls.first.attendee_ids.status = "present"
        with freeze_time(cls.first.start + timedelta(minutes=5)):
            cls.first.action_hold()

    def agree(self, meeting, count):
        """Add ``count`` agreements to the work plan of ``meeting``."""
        first = len(meeting.agreement_ids) + 1
        responsibles = self.case_a1.participant_ids
        self.env["lco.agreement"].with_user(self.coordinator_a).create(
            [
                {
                    "case_id": self.case_a1.id,
                    "meeting_id": meeting.id,
                    "name": f"Afspraak nummer {number}",
                    "responsible_id": responsibles[number % len(responsibles)].id,
                    "life_domain_id": self.life_domain_housing.id,
                    "deadline": fields.Date.add(fields.Date.today(), days=number),
                }
                for number in range(first, first + count)
            ]
        )

    def render(self, report, records):
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_user(self.coordinator_a)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report, records.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        return pdf_text(pdf)

    def assert_holds(self, text, *expected):
        for part in expected:
            self.assertIn(part, text)

    def test_meeting_report_with_the_work_plan(self):
        self.agree(self.first, 3)
        text = self.render("lco_module.action_report_lco_meeting", self.first)
        self.assert_holds(
            text,
            "Kim Client",
            "Verslag van het lokaal cliëntoverleg",
            "Deelnemers",
            "De vraag van de cliënt",
            "Find a home",
            "Het verhaal en perspectief van de cliënt",
            "Kim wil rust in huis.",
            "Agenda en bespreking",
            "Kunnen we in ons huis blijven?",
            "Werkplan",
            "Afspraak nummer 1",
            "Afspraak nummer 3",
            "Volgend overleg",
            "Gedeeld beroepsgeheim",
            "OCMW A",
        )
        self.assertRegex(text, r"1\s*/\s*\d", "numbered pages")

    def test_invitation_letter_per_attendee_in_his_language(self):
        follow_up = self.env["lco.meeting"].browse(
            self.first.action_plan_follow_up()["res_id"]
        )
        follow_up.start = fields.Datetime.add(fields.Datetime.now(), days=20)
        self.agree(self.first, 2)
        follow_up.action_load_open_agreements()
        letters = follow_up.attendee_ids.filtered(
            lambda a: a.partner_id in (self.client_a1 | self.external_worker)
        )
        text = self.render("lco_module.action_report_lco_invitation", letters)
        self.assert_holds(
            text,
            "Uitnodiging voor een opvolgoverleg",
            "Beste Kim Client",
            "Beste Ann External",
            "Heidestraat 14",
            "3990 Adorp",
            "Sociaal Huis Adorp, zaal 1",
            "Kim Client",
        )
        self.assertEqual(
            len(re.findall(r"1\s*/\s*1", text)), 2, "each letter counts its own pages"
        )

    def test_case_overview_over_time(self):
        self.agree(self.first, 2)
        text = self.render("lco_module.action_report_lco_case_overview", self.case_a1)
        self.assert_holds(
            text,
            "Overzicht van het cliëntoverleg",
            "Kim Client",
            self.case_a1.name,
            "Afspraken doorheen de tijd",
            "Afspraak nummer 2",
            "Kunnen we in ons huis blijven?",
        )

    def test_participant_list_to_sign(self):
        text = self.render("lco_module.action_report_lco_attendance_list", self.first)
        self.assert_holds(
            text,
            "Deelnemerslijst en gedeeld beroepsgeheim",
            "Handtekening",
            "Kim Client",
            "Ann External",
        )

    def test_client_consent_form(self):
        text = self.render(
            "lco_module.action_report_lco_consent_form", self.case_a1.consent_id
        )
        self.assert_holds(
            text,
            "Toestemming voor een lokaal cliëntoverleg",
            "Kim Client",
            "Heidestraat 14",
            "Ann External",
            "intrekken",
        )

    def test_report_copy_for_the_post(self):
        self.agree(self.first, 1)
        copy = self.first.paper_attendee_ids.filtered(
            lambda a: a.partner_id == self.client_a1
        )
        text = self.render("lco_module.action_report_lco_meeting_copy", copy)
        self.assert_holds(
            text, "Beste Kim Client", "3990 Adorp", "Werkplan", "Afspraak nummer 1"
        )

    def test_each_document_has_its_footer_without_a_patched_wkhtmltopdf(self):
        """ir.actions.report: where wkhtmltopdf does not print Odoo's footer,
        each document of one PDF gets the organisation's contact line and its
        own page count."""
        self.patch(ir_actions_report, "wkhtmltopdf_prints_headers", lambda: False)
        self.company_a.phone = "+32 3 555 01 23"
        cases = self.case_a1 | self.case_a2
        text = self.render("lco_module.action_report_lco_case_overview", cases)
        pages = re.findall(r"(?m)^(\d+) ?/ ?(\d+)$", text)
        # Each document starts at page 1 of its own count.
        self.assertEqual(len([p for p in pages if p[0] == "1"]), len(cases), text)
        self.assertEqual(text.count("· +32 3 555 01 23 ·"), len(pages), text)

    def test_meeting_report_queries_do_not_grow_with_the_work_plan(self):
        """Counted on the QWeb rendering that every PDF goes through: the PDF
        engine's own requests for the style sheets would blur the count."""
        self.agree(self.first, 5)
        self.count_report_queries()  # fill the template and translation caches
        with_five = self.count_report_queries()
        self.agree(self.first, 45)
        self.assertEqual(len(self.first.agreement_ids), 50)
        with_fifty = self.count_report_queries()
        _logger.info(
            "Meeting report: %s queries with 5 agreements, %s with 50",
            with_five,
            with_fifty,
        )
        self.assertEqual(with_fifty, with_five)
        text = self.render("lco_module.action_report_lco_meeting", self.first)
        self.assert_holds(text, "Afspraak nummer 1\n", "Afspraak nummer 50")

    def count_report_queries(self):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self.env["ir.actions.report"].with_user(self.coordinator_a)._render_qweb_html(
            "lco_module.action_report_lco_meeting", self.first.ids
        )
        return self.env.cr.sql_log_count - before
