from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import skip_without_demo
from .common_meeting import LcoMeetingCommon
from .common_request import LcoRequestCommon

MEETING_REPORT = "lco_module.action_report_lco_meeting"


@tagged("post_install", "-at_install")
class TestLanguageContacts(LcoRequestCommon):
    """New contacts read the language of the request or of the organisation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_BE")
        cls.coordinator_a.lang = "en_US"

    def accept(self, **values):
        request = self._taken(self._request(client_name="Nina Nieuw", **values))
        request._accept(None, "Five services, no common plan.")
        return request

    def test_client_of_a_dutch_request_reads_dutch(self):
        request = self.accept(requester_lang="nl_BE")
        self.assertEqual(request.client_id.lang, "nl_BE")

    def test_client_of_a_request_without_language_reads_the_organisation_language(
        self,
    ):
        self.company_a.partner_id.lang = "nl_BE"
        request = self.accept(requester_lang=False)
        self.assertEqual(request.client_id.lang, "nl_BE")

    def test_contact_created_from_a_participant_row_reads_the_user_language(self):
        self.coordinator_a.lang = "nl_BE"
        # The database's default language for contacts is English.
        self.env["ir.default"].set("res.partner", "lang", "en_US")
        partner_id, __ = (
            self.env["res.partner"]
            .with_user(self.coordinator_a)
            .with_context(lang="nl_BE")
            .name_create("Nieuwe Hulpverlener")
        )
        self.assertEqual(self.env["res.partner"].browse(partner_id).lang, "nl_BE")


@tagged("post_install", "-at_install")
class TestLanguageReports(LcoMeetingCommon):
    """Reports in the language of their reader, with the work plan's status."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.coordinator_a.lang = "en_US"

    def html(self, meeting, report=MEETING_REPORT):
        Report = self.env["ir.actions.report"].with_user(self.coordinator_a)
        return Report._render_qweb_html(report, meeting.ids)[0].decode()

    def held_meeting(self, days=-10):
        meeting = self.create_meeting(days=days)
        self.prepare(meeting)
        meeting.action_schedule()
        self.hold(meeting)
        return meeting

    def agreement(self, meeting, name, deadline, state="open"):
        agreement = (
            self.env["lco.agreement"]
            .with_user(self.coordinator_a)
            .create(
                {
                    "case_id": self.case_a1.id,
                    "meeting_id": meeting.id,
                    "name": name,
                    "deadline": deadline,
                    "responsible_id": self.participant(self.external_worker).id,
                }
            )
        )
        if state != "open":
            agreement.state = state
        return agreement

    def test_dutch_client_gets_a_dutch_report_with_dutch_dates(self):
        meeting = self.held_meeting()
        deadline = fields.Date.today() + timedelta(days=20)
        self.agreement(meeting, "Afbetalingsplan vragen", deadline)
        html = self.html(meeting)
        self.assertIn("Werkplan", html)
        self.assertIn("Tegen wanneer", html)
        self.assertNotIn("Work plan", html)
        # The Belgian day-month-year of the reader's language, never the US one.
        dutch_format = self.env["res.lang"]._lang_get("nl_BE").date_format
        self.assertTrue(dutch_format.startswith("%d"))
        self.assertIn(deadline.strftime(dutch_format), html)
        self.assertNotIn(deadline.strftime("%m/%d/%Y"), html)

    def test_work_plan_shows_the_status_of_each_agreement(self):
        meeting = self.held_meeting()
        day = meeting.start.date()
        self.agreement(meeting, "Late and open", day - timedelta(days=3))
        self.agreement(meeting, "Open, due after the meeting", day + timedelta(days=3))
        self.agreement(meeting, "Already done", day - timedelta(days=3), "done")
        self.agreement(meeting, "Waiting", day - timedelta(days=3), "on_hold")
        states = dict(
            self.env["lco.agreement"]
            .with_context(lang="nl_BE")
            ._fields["state"]
            ._description_selection(self.env(context={"lang": "nl_BE"}))
        )
        html = self.html(meeting)
        self.assertIn(states["done"], html)
        self.assertIn(states["on_hold"], html)
        self.assertIn(states["open"], html)
        # Overdue at the meeting's date: only the open one due before it,
        # not the one due before today (the printing date) but after the meeting.
        self.assertEqual(html.count('class="lco_overdue"'), 1)
        self.assertEqual(html.count("lco_nowrap lco_overdue"), 1)

    def test_a_report_printed_before_the_meeting_is_a_draft(self):
        self.client_a1.lang = "en_US"
        meeting = self.create_meeting(days=3)
        self.assertIn("lco_draft_marker", self.html(meeting))
        self.assertIn("DRAFT", self.html(meeting))
        self.prepare(meeting)
        meeting.action_schedule()
        self.assertIn("DRAFT", self.html(meeting))
        self.hold(meeting)
        self.assertNotIn("lco_draft_marker", self.html(meeting))
        self.assertNotIn("DRAFT", self.html(meeting))

    def test_draft_marker_reads_ontwerp_for_a_dutch_client(self):
        # Needs the msgid "DRAFT" merged into i18n/nl.po.
        meeting = self.create_meeting(days=3)
        html = self.html(meeting)
        self.assertIn("ONTWERP", html)
        self.assertNotIn("DRAFT", html)

    def report_composer(self, meeting):
        action = meeting.with_user(self.coordinator_a).action_send_report()
        return (
            self.env["mail.compose.message"]
            .with_user(self.coordinator_a)
            .with_context(**action["context"])
            .create({})
        )

    def test_report_composer_shows_the_language_of_each_recipient(self):
        meeting = self.held_meeting(days=-1)
        self.aid_worker_a.partner_id.lang = "en_US"
        composer = self.report_composer(meeting)
        names = dict(self.env["res.lang"].get_installed())
        self.assertEqual(composer.lang, "nl_BE")
        self.assertIn(self.external_worker, composer.partner_ids)
        note = composer.lco_language_note
        self.assertIn(f"{self.external_worker.name} — {names['nl_BE']}", note)
        self.assertIn(self.aid_worker_a.partner_id, composer.partner_ids)
        self.assertIn(f"{self.aid_worker_a.name} — {names['en_US']}", note)
        self.assertIn("Verslag van het cliëntoverleg", composer.subject)

    def test_each_recipient_gets_the_report_in_his_own_language(self):
        meeting = self.held_meeting(days=-1)
        meeting.attendee_ids.partner_id.with_env(self.env).lang = "nl_BE"
        english = self.aid_worker_a.partner_id
        english.lang = "en_US"
        composer = self.report_composer(meeting)
        dutch = composer.partner_ids - english
        self.assertTrue(dutch)
        composer.action_send_mail()

        sent = meeting.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(len(sent), 2)
        to_dutch = sent.filtered(lambda m: english not in m.partner_ids)
        to_english = sent - to_dutch
        self.assertEqual(to_dutch.partner_ids, dutch)
        self.assertEqual(to_english.partner_ids, english)
        self.assertIn("Beste deelnemers", str(to_dutch.body))
        self.assertIn("Dear participants", str(to_english.body))
        self.assertIn("Report of the client consultation", to_english.subject)
        # Each carries the report, rendered in its reader's language.
        for message, title in (
            (to_dutch, "Verslag van het lokaal cliëntoverleg"),
            (to_english, "Report of the local client consultation"),
        ):
            [attachment] = message.attachment_ids
            self.assertIn(title, attachment.raw.decode())
        self.assertEqual(meeting.state, "reported")
        # The case files both, in one note each.
        notes = meeting.case_id.message_ids.filtered(
            lambda m: "sent to" in str(m.body) or "verstuurd naar" in str(m.body)
        )
        self.assertEqual(len(notes), 2)


@tagged("post_install", "-at_install")
class TestDemoLanguage(LcoMeetingCommon):
    """The demo speaks Dutch in every installed module, on weekdays. Its
    subject is the demo: skipped only where the addon was installed without
    demo data (a production database), failing where the demo was installed
    and a demo record is missing."""

    def setUp(self):
        super().setUp()
        skip_without_demo(self)
        self.case = self.env.ref("lco_module.case_family")

    def test_core_modules_speak_dutch(self):
        for xmlid, dutch in (
            ("base.menu_administration", "Instellingen"),
            ("calendar.mail_menu_calendar", "Agenda"),
            ("contacts.menu_contacts", "Contacten"),
        ):
            menu = self.env.ref(xmlid).with_context(lang="nl_BE")
            self.assertEqual(menu.name, dutch)

    def test_demo_chatter_is_dutch(self):
        created = self.case.message_ids.sorted("id")[:1]
        self.assertNotIn("Client Consultation Case created", created.body)
        self.assertIn("aangemaakt", created.body)

    def test_no_demo_meeting_in_the_weekend(self):
        meetings = self.env["lco.meeting"].search([("start", "!=", False)])
        self.assertTrue(meetings)
        for meeting in meetings:
            self.assertLess(meeting.start.weekday(), 5, meeting.display_name)
