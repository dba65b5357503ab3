import re
from datetime import timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged

from odoo.addons.lco_module.tests.common_portal import MINUTES, LcoPortalProposalCommon
from odoo.addons.lco_module.tools.anonymisation import ERASED, erase
from odoo.addons.lco_module.tools.constants import MAX_TOPIC_LENGTH


@tagged("post_install", "-at_install")
class TestPortalProposals(LcoPortalProposalCommon):
    """Agenda proposals: a portal user proposes, the coordinator accepts."""

    def test_client_proposes_a_topic_marked_as_his(self):
        aunt = self._participant(self.case_a1, self.aunt_a1)
        # Whatever he sends, it is his proposal, waiting for the coordinator.
        with self.assertRaises(AccessError):
            self.propose(self.portal_client, "My debts", state="accepted", sequence=1)
        item = self.propose(self.portal_client, "  My   debts ")
        self.assertEqual(item.name, "My debts")
        self.assertEqual(item.state, "proposed")
        self.assertEqual(item.proposed_by_id.partner_id, self.client_a1)
        self.assertEqual(item.proposer_role, "client")
        self.assertNotEqual(item.proposed_by_id, aunt)
        # Not on the agenda (invitation, report) until accepted.
        self.assertNotIn(item, self.meeting_a1.agenda_item_ids)
        self.assertIn(item, self.meeting_a1.agenda_proposal_ids)
        self.assertNotIn("My debts", str(self.meeting_a1.calendar_event_id.description))
        # The coordinator is told.
        message = self.meeting_a1.message_ids[:1]
        self.assertIn("Kim Client proposes a topic", message.body)
        self.assertIn("My debts", message.body)
        self.assertIn(self.coordinator_a.partner_id, message.partner_ids)

    def test_the_client_first_and_the_coordinator_accepts(self):
        self.propose(self.portal_aunt, "Babysitting")
        self.propose(self.portal_client, "My debts")
        proposals = self.meeting_a1.agenda_proposal_ids.sorted(
            lambda i: (not i.by_client, i.id)
        )
        self.assertEqual(proposals.mapped("name"), ["My debts", "Babysitting"])
        self.assertEqual(proposals.mapped("proposer_role"), ["client", "network"])
        invitation = self.env.ref("lco_module.action_report_lco_invitation")
        attendee = self.attendee(self.meeting_a1, self.client_a1)
        html = str(invitation._render_qweb_html(invitation, attendee.ids)[0])
        self.assertIn("Housing", html)
        self.assertNotIn("My debts", html)
        with self.assertRaises(AccessError):
            proposals[:1].with_user(self.aid_worker_b).action_accept_proposal()
        proposals[:1].with_user(self.coordinator_a).action_accept_proposal()
        self.assertEqual(proposals[0].state, "accepted")
        self.assertIn(proposals[0], self.meeting_a1.agenda_item_ids)
        self.assertIn("My debts", self.meeting_a1.calendar_event_id.description)
        html = str(invitation._render_qweb_html(invitation, attendee.ids)[0])
        self.assertIn("My debts", html)
        self.assertNotIn("Babysitting", html)

    def test_a_proposal_is_read_by_its_proposer_until_accepted(self):
        item = self.propose(self.portal_client, "My debts")
        Item = self.env["lco.agenda.item"]
        domain = [("meeting_id", "=", self.meeting_a1.id)]
        self.assertIn(item, Item.with_user(self.portal_client).search(domain))
        self.assertNotIn(item, Item.with_user(self.portal_aunt).search(domain))
        with self.assertRaises(AccessError):
            item.with_user(self.portal_external).read(["name"])
        item.with_user(self.coordinator_a).action_accept_proposal()
        self.assertIn(item, Item.with_user(self.portal_aunt).search(domain))

    def test_only_a_record_he_reads_tells_its_coordinator(self):
        """The note to the coordinator is posted as superuser: never on a
        meeting or agreement the portal user may not read."""
        for record in (self.meeting_a1, self.agreement_a1_aunt):
            notes = len(record.message_ids)
            with self.assertRaises(AccessError):
                record.with_user(self.portal_client_b)._lco_tell_coordinator("Hi")
            self.assertEqual(len(record.message_ids), notes)

    def test_portal_user_proposes_only_for_his_coming_meetings(self):
        # A case he does not take part in, another organisation's case.
        other = self.case_a2.meeting_ids
        with self.assertRaises(AccessError):
            self.propose(self.portal_client, "Other topic", meeting=other)
        with self.assertRaises(AccessError):
            self.propose(self.portal_client_b, "Other topic")
        # A draft meeting (not yet fixed) is not readable for him.
        draft = self._create_meeting(self.case_a1)
        with self.assertRaises(AccessError):
            self.propose(self.portal_client, "Too early", meeting=draft)
        # A held meeting is no longer coming.
        self._report_meeting(self.meeting_a1, self.coordinator_a)
        with self.assertRaisesText(UserError, "no longer coming"):
            self.propose(self.portal_client, "Too late")
        self.assertFalse(
            self.env["lco.agenda.item"].search([("state", "=", "proposed")])
        )

    def test_withdrawn_consent_ends_proposing(self):
        self.case_a1.consent_id.with_user(self.coordinator_a).action_withdraw()
        with self.assertRaises(AccessError):
            self.propose(self.portal_aunt, "Babysitting")

    def test_portal_user_changes_no_agenda_item(self):
        item = self.propose(self.portal_client, "My debts").with_user(
            self.portal_client
        )
        housing = self.meeting_a1.agenda_item_ids.with_user(self.portal_client)
        for record in (item, housing):
            with self.assertRaises(AccessError):
                record.write({"state": "accepted"})
            with self.assertRaises(AccessError):
                record.write({"name": "Something else"})
            with self.assertRaises(AccessError):
                record.unlink()
            with self.assertRaises(AccessError):
                record.action_accept_proposal()
        self.assertEqual(item.state, "proposed")

    def test_topic_is_checked(self):
        for topic, text in (
            ("   ", "Write what you want to talk about"),
            ("x" * (MAX_TOPIC_LENGTH + 1), "too long"),
            ("My\x00debts", "plain text"),
            (42, "plain text"),
        ):
            with self.assertRaisesText(ValidationError, text):
                self.propose(self.portal_client, topic)

    def test_coordinator_items_are_on_the_agenda(self):
        item = (
            self.env["lco.agenda.item"]
            .with_user(self.coordinator_a)
            .create({"meeting_id": self.meeting_a1.id, "name": "School"})
        )
        self.assertEqual(item.state, "accepted")
        self.assertIn(item, self.meeting_a1.agenda_item_ids)

    def test_anonymisation_erases_proposals(self):
        item = self.propose(self.portal_client, "Kim's debts at the bank")
        records = self.case_a1.sudo()._lco_records()
        self.assertIn(
            item,
            self.env["lco.agenda.item"].union(
                *[r for r in records if r._name == "lco.agenda.item"]
            ),
        )
        for recordset in records:
            if recordset._name == "lco.agenda.item":
                erase(recordset)
        self.assertEqual(item.name, ERASED)


@tagged("post_install", "-at_install")
class TestPortalReportDownload(LcoPortalProposalCommon, HttpCase):
    """The report of a held meeting, as sent to him, downloaded on the portal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._report_meeting(cls.meeting_a1, cls.coordinator_a)
        cls._report_meeting_b1()

    def download(self, user, attendee):
        self.authenticate(user.login, user.login)
        return self.url_open(f"/my/lco/report/{attendee.id}")

    def test_client_gets_the_full_report(self):
        attendee = self.attendee(self.meeting_a1, self.client_a1)
        page = self.url_open_as(self.portal_client, f"/my/lco/{self.case_a1.id}")
        self.assertIn(f"/my/lco/report/{attendee.id}", page.text)
        self.assertIn("Download the report (PDF)", page.text)
        answer = self.download(self.portal_client, attendee)
        self.assertEqual(answer.status_code, 200)
        self.assertEqual(answer.headers["Content-Type"], "application/pdf")
        self.assertIn("attachment", answer.headers["Content-Disposition"])
        self.assertIn("Kim%20Client", answer.headers["Content-Disposition"])
        # Under tests Odoo renders the HTML of the PDF: what the PDF prints.
        self.assertIn(MINUTES, answer.text)
        self.assertIn("Apply for social housing", answer.text)
        log = self.env["lco.access.log"].search(
            [("user_id", "=", self.portal_client.id), ("action", "=", "print")]
        )
        self.assertEqual(log.res_id, attendee.id)

    def test_work_plan_only_consent_gets_no_minutes(self):
        attendee = self.attendee(self.meeting_b1, self.external_worker)
        answer = self.download(self.portal_external, attendee)
        self.assertEqual(answer.status_code, 200)
        self.assertEqual(answer.headers["Content-Type"], "application/pdf")
        self.assertNotIn(MINUTES, answer.text)
        self.assertIn("Apply for social housing", answer.text)
        # A real PDF, rendered by wkhtmltopdf.
        pdf, filename = (
            attendee.with_user(self.portal_external)
            .with_context(force_report_rendering=True)
            ._lco_portal_report_pdf()
        )
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertTrue(filename.endswith(".pdf"))

    def test_report_in_his_language(self):
        self.env["res.lang"]._activate_lang("nl_BE")
        self.env["ir.module.module"].search(
            [("name", "=", "lco_module")]
        )._update_translations(["nl_BE"])
        self.client_a1.lang = "nl_BE"
        attendee = self.attendee(self.meeting_a1, self.client_a1)
        answer = self.download(self.portal_client, attendee)
        self.assertIn("Verslag", answer.text)

    def test_others_get_nothing(self):
        kim = self.attendee(self.meeting_a1, self.client_a1)
        for user, attendee in (
            # Someone else's copy, another organisation's portal user.
            (self.portal_aunt, kim),
            (self.portal_client_b, kim),
            (self.portal_client, self.attendee(self.meeting_b1, self.client_b1)),
        ):
            answer = self.download(user, attendee)
            self.assertTrue(answer.url.endswith("/my"), answer.url)
            self.assertNotIn(MINUTES, answer.text)
        answer = self.download(self.portal_client, kim.browse(999999))
        self.assertTrue(answer.url.endswith("/my"), answer.url)

    def test_withdrawn_consent_refuses(self):
        aunt = self.attendee(self.meeting_a1, self.aunt_a1)
        self.assertEqual(self.download(self.portal_aunt, aunt).status_code, 200)
        self.case_a1.consent_id.with_user(self.coordinator_a).action_withdraw()
        answer = self.download(self.portal_aunt, aunt)
        self.assertTrue(answer.url.endswith("/my"), answer.url)
        self.assertNotIn(MINUTES, answer.text)

    def test_no_report_before_it_was_sent(self):
        meeting = self._create_meeting(self.case_a1)
        meeting.with_context(lco_schedule_confirmed=True).action_schedule()
        attendee = self.attendee(meeting, self.client_a1)
        answer = self.download(self.portal_client, attendee)
        self.assertTrue(answer.url.endswith("/my"), answer.url)

    def url_open_as(self, user, url):
        self.authenticate(user.login, user.login)
        return self.url_open(url)


@tagged("post_install", "-at_install")
class TestPortalProposalHttp(LcoPortalProposalCommon, HttpCase):
    def test_propose_over_http_keeps_the_text_on_error(self):
        self.authenticate(self.portal_client.login, self.portal_client.login)
        url = f"/my/lco/{self.case_a1.id}"
        page = self.url_open(url)
        self.assertIn("Add a topic to the agenda", page.text)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]
        action = f"/my/lco/meeting/{self.meeting_a1.id}/topic"
        long_topic = "My debts " * 40
        answer = self.url_open(action, data={"topic": long_topic, "csrf_token": token})
        self.assertEqual(answer.status_code, 400)
        self.assertIn("too long", answer.text)
        self.assertIn(long_topic.strip()[:50], answer.text)
        self.assertFalse(self.meeting_a1.agenda_proposal_ids)
        answer = self.url_open(action, data={"topic": "My debts", "csrf_token": token})
        self.assertEqual(answer.status_code, 200)
        self.assertIn("the coordinator will look at your topic", answer.text)
        self.assertIn("Waiting for the coordinator", answer.text)
        self.assertEqual(self.meeting_a1.agenda_proposal_ids.name, "My debts")
        # The aunt does not see the client's proposal before it is accepted.
        self.authenticate(self.portal_aunt.login, self.portal_aunt.login)
        self.assertNotIn("My debts", self.url_open(url).text)
        # Another organisation's meeting: back to /my, nothing created.
        self.authenticate(self.portal_client_b.login, self.portal_client_b.login)
        page = self.url_open("/my/account")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]
        answer = self.url_open(action, data={"topic": "Hi", "csrf_token": token})
        self.assertTrue(answer.url.endswith("/my"), answer.url)
        self.assertEqual(len(self.meeting_a1.agenda_proposal_ids), 1)


@tagged("post_install", "-at_install", "is_tour")
class TestPortalTours(LcoPortalProposalCommon, HttpCase):
    """Browser tours of the portal, at phone width."""

    browser_size = "390x844"
    touch_enabled = True

    def test_client_tour(self):
        agreement = self.env["lco.agreement"].create(
            {
                "case_id": self.case_a1.id,
                "meeting_id": self.meeting_a1.id,
                "name": "Call the housing company",
                "responsible_id": self._participant(self.case_a1, self.client_a1).id,
                "deadline": self.today + timedelta(days=3),
            }
        )
        self.start_tour("/my", "lco_portal_client_tour", login=self.portal_client.login)
        proposal = self.meeting_a1.agenda_proposal_ids
        self.assertEqual(proposal.name, "Help with my debts")
        self.assertEqual(proposal.state, "proposed")
        self.assertEqual(proposal.proposed_by_id.partner_id, self.client_a1)
        self.assertEqual(proposal.proposer_role, "client")
        attendee = self.attendee(self.meeting_a1, self.client_a1)
        self.assertEqual(attendee.status, "excused")
        self.assertEqual(attendee.practical_needs, "Childcare for my two children")
        self.assertEqual(agreement.state, "done")
        self.assertEqual(agreement.outcome_note, "I called the housing company")

    def test_external_aid_worker_tour(self):
        self._report_meeting_b1()
        self.assertFalse(self.ann_b1.confidentiality_ack_date)
        self.start_tour(
            "/my/lco", "lco_portal_external_tour", login=self.portal_external.login
        )
        self.assertTrue(self.ann_b1.confidentiality_ack_date)
        self.assertEqual(self.ann_b1.confidentiality_ack_method, "portal")
        # The link the tour found gives her the work plan only, as a PDF.
        attendee = self.attendee(self.meeting_b1, self.external_worker)
        self.authenticate(self.portal_external.login, self.portal_external.login)
        answer = self.url_open(f"/my/lco/report/{attendee.id}")
        self.assertEqual(answer.headers["Content-Type"], "application/pdf")
        self.assertNotIn(MINUTES, answer.text)
        self.assertIn("Apply for social housing", answer.text)
