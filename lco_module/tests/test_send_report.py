from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common_meeting import LcoMeetingCommon


@tagged("post_install", "-at_install")
class TestSendReport(HttpCase, LcoMeetingCommon):
    """HttpCase: wkhtmltopdf fetches the report styles from the test server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.module.module"].search(
            [("name", "=", "lco_module")]
        )._update_translations(["nl_BE"])

    def held_meeting(self):
        meeting = self.create_meeting(days=-1)
        self.prepare(meeting)
        meeting.action_schedule()
        self.hold(meeting)
        # Everyone reads the client's language: one message for all.
        meeting.attendee_ids.partner_id.with_env(self.env).lang = "nl_BE"
        self.env["lco.agreement"].with_user(self.coordinator_a).create(
            {
                "case_id": self.case_a1.id,
                "meeting_id": meeting.id,
                "name": "Ask the energy supplier for a payment plan",
                "responsible_id": self.participant(self.external_worker).id,
            }
        )
        return meeting

    def composer(self, meeting, user):
        action = meeting.with_user(user).action_send_report()
        self.assertEqual(action["res_model"], "mail.compose.message")
        return (
            self.env["mail.compose.message"]
            .with_user(user)
            .with_context(**action["context"], force_report_rendering=True)
            .create({})
        )

    def test_the_report_goes_to_everyone_with_an_email(self):
        meeting = self.held_meeting()
        composer = self.composer(meeting, self.coordinator_a)
        self.assertEqual(
            composer.partner_ids, meeting.attendee_ids.partner_id.filtered("email")
        )
        self.assertIn(self.external_worker, composer.partner_ids)
        self.assertIn("Verslag van het cliëntoverleg", composer.subject)
        self.assertIn("Kim Client", composer.body)
        followers = meeting.message_partner_ids
        with self.mock_mail_gateway():
            composer.action_send_mail()

        self.assertEqual(meeting.state, "reported")
        sent = meeting.message_ids.filtered("attachment_ids")
        self.assertEqual(len(sent), 1)
        self.assertEqual(sent.attachment_ids.mimetype, "application/pdf")
        self.assertEqual(sent.partner_ids, composer.partner_ids)
        self.assertEqual(
            self._new_mails.filtered(lambda m: m.mail_message_id == sent).recipient_ids,
            composer.partner_ids,
        )
        self.assertNotIn(self.env.user.partner_id, meeting.message_partner_ids)
        # Sending subscribes nobody: who follows the meeting follows it as
        # the consent allows (issue 22), and the report went to the chosen.
        self.assertEqual(meeting.message_partner_ids, followers)

        self.assertEqual(
            meeting.paper_attendee_ids.partner_id, self.client_a1 | self.aunt_a1
        )
        logged = self.case_a1.message_ids[0]
        self.assertIn("Ann External", logged.body)
        self.assertIn("Print and post a copy for", logged.body)
        self.assertIn("Kim Client", logged.body)
        self.assertEqual(logged.attachment_ids.mimetype, "application/pdf")
        self.assertEqual(logged.attachment_ids.res_model, "lco.case")

        action = meeting.action_print_paper_copies()
        self.assertEqual(action["report_name"], "lco_module.report_lco_meeting_copy")
        self.assertEqual(
            action["context"]["active_ids"], meeting.paper_attendee_ids.ids
        )

    def test_the_report_is_sent_once_the_meeting_was_held(self):
        meeting = self.create_meeting()
        with self.assertRaisesRegex(UserError, "once the meeting has been held"):
            meeting.action_send_report()

    def test_only_the_coordinator_sends_the_report(self):
        meeting = self.held_meeting()
        composer = self.composer(meeting, self.aid_worker_a)
        with self.assertRaises(AccessError):
            composer.action_send_mail()
        self.assertEqual(meeting.state, "held")

    def test_a_caller_s_flag_files_nothing(self):
        """Issue 7, item 6: only the report's composer marks a meeting reported
        and files what it sent, never a context flag of the caller."""
        meeting = self.held_meeting().with_user(self.coordinator_a)
        # A document of case_a2, where coordinator_a is an aid worker.
        elsewhere = self.env["ir.attachment"].create(
            {
                "name": "budget.pdf",
                "raw": b"%PDF-1.4",
                "res_model": "lco.case",
                "res_id": self.case_a2.id,
            }
        )
        filed = self.case_a1.message_ids.attachment_ids
        meeting.with_context(lco_report_sent=True).message_post(
            body="Here it is", attachment_ids=elsewhere.ids
        )
        self.assertEqual(meeting.state, "held")
        self.assertEqual(self.case_a1.message_ids.attachment_ids, filed)

        # The report's composer files only what it sent on this meeting.
        composer = self.composer(meeting, self.coordinator_a)
        composer.attachment_ids |= elsewhere
        with self.mock_mail_gateway():
            composer.action_send_mail()
        self.assertEqual(meeting.state, "reported")
        copies = self.case_a1.message_ids.attachment_ids - filed
        self.assertEqual(copies.mapped("mimetype"), ["application/pdf"])
        self.assertNotIn("budget.pdf", copies.mapped("name"))

    def test_followers_get_the_version_the_consent_gives_them(self):
        """Issue 18, finding 3: a follower who gets the work plan only, left
        out of the recipients, is not notified of the full report."""
        meeting = self.held_meeting()
        self._give_consent(self.case_a1, {self.external_worker: "work_plan"})
        # sudo: followers as the chatter's "Follow" would add them.
        meeting.sudo().message_subscribe(partner_ids=self.external_worker.ids)
        composer = self.composer(meeting, self.coordinator_a)
        composer.partner_ids -= self.external_worker
        with self.mock_mail_gateway():
            composer.action_send_mail()
        self.env.flush_all()
        self.env.cr.precommit.run()
        sent = meeting.message_ids.filtered("attachment_ids")
        self.assertEqual(len(sent), 1)
        self.assertNotIn(self.external_worker, sent.notified_partner_ids)
        self.assertFalse(self.mails_to(self.external_worker))
