from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common_meeting import LcoMeetingCommon
from .common_portal import LcoPortalCommon


class LcoReportRecipientsCommon(HttpCase, LcoPortalCommon, LcoMeetingCommon):
    """Changing the consent, and a held meeting, as the tests of who receives
    what do it (lco_portal's too)."""

    def withdraw(self):
        self.case_a1.consent_id.with_user(self.coordinator_a).action_withdraw()

    def work_plan_only_for(self, partner):
        """A new consent: ``partner`` gets the work plan only."""
        consent = self._give_consent(self.case_a1, {partner: "work_plan"})
        self.assertEqual(self.case_a1.consent_id, consent)

    def held_meeting(self):
        meeting = self.create_meeting(days=-1)
        self.prepare(meeting)
        meeting.with_context(lco_schedule_confirmed=True).action_schedule()
        self.hold(meeting)
        return meeting


@tagged("post_install", "-at_install")
class TestReportRecipients(LcoReportRecipientsCommon):
    """One function of the case (_report_scopes) decides who receives and
    reads what: followers, calendar events, evaluation links, portal pages and
    RPC reads all follow the client's consent."""

    def notified(self, message):
        self.env.flush_all()
        self.env.cr.precommit.run()
        return (
            self.env["mail.notification"]
            .search([("mail_message_id", "=", message.id)])
            .res_partner_id
        )

    def follow(self, records, partner):
        for record in records:
            # sudo: a follower as the chatter's "Follow" would add him.
            record.sudo().message_subscribe(partner_ids=partner.ids)

    # Followers ------------------------------------------------------------

    def test_a_follower_whose_consent_was_withdrawn_hears_nothing(self):
        meeting = self.meeting_a1
        self.follow(meeting, self.aunt_a1)
        self.withdraw()
        # Followed again afterwards (or never unsubscribed): still told nothing.
        self.follow(meeting, self.aunt_a1)
        message = meeting.with_user(self.coordinator_a).message_post(
            body="The full report",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertNotIn(self.aunt_a1, self.notified(message))

    def test_a_work_plan_follower_gets_no_full_report(self):
        meeting = self.meeting_a1
        self.work_plan_only_for(self.aunt_a1)
        self.follow(meeting, self.aunt_a1 | self.external_worker)
        message = meeting.with_user(self.coordinator_a).message_post(
            body="The full report",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.aunt_a1.ids,
        )
        notified = self.notified(message)
        self.assertNotIn(self.aunt_a1, notified, "work plan only")
        self.assertIn(self.external_worker, notified, "full report")

    def test_a_context_key_widens_nothing(self):
        self.work_plan_only_for(self.aunt_a1)
        self.follow(self.case_a1, self.aunt_a1)
        message = (
            self.case_a1.with_user(self.coordinator_a)
            .with_context(lco_report_version="work_plan", lco_report_scope="work_plan")
            .message_post(
                body="What was said",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        )
        self.assertNotIn(self.aunt_a1, self.notified(message))

    def test_the_coordinator_keeps_getting_the_notes(self):
        self.follow(self.case_a1, self.manager_a.partner_id)
        message = self.case_a1.with_user(self.coordinator_a).message_post(
            body="A note", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.assertIn(self.manager_a.partner_id, self.notified(message))

    # Withdrawal -----------------------------------------------------------

    def test_withdrawal_unsubscribes_and_ends_invitations(self):
        held = self.held_meeting()
        coming = self.meeting_a1
        self.assertIn(self.aunt_a1, held.calendar_event_id.partner_ids)
        self.assertIn(self.aunt_a1, coming.calendar_event_id.partner_ids)
        records = [self.case_a1, held, coming, self.agreement_a1_aunt]
        for record in records:
            self.follow(record, self.aunt_a1 | self.manager_a.partner_id)

        self.withdraw()
        for record in records:
            self.assertNotIn(self.aunt_a1, record.message_partner_ids, record)
            self.assertIn(self.manager_a.partner_id, record.message_partner_ids)
        self.assertNotIn(self.aunt_a1, held.calendar_event_id.partner_ids)
        self.assertNotIn(self.aunt_a1, coming.calendar_event_id.partner_ids)

        # Covered again: invited again to the coming meeting, not to the past.
        self._give_consent(self.case_a1)
        self.assertIn(self.aunt_a1, coming.calendar_event_id.partner_ids)
        self.assertNotIn(self.aunt_a1, held.calendar_event_id.partner_ids)

    # Work plan only -------------------------------------------------------

    def test_private_data_is_not_read_over_rpc(self):
        agreement = self.agreement_a1_aunt.with_user(self.portal_external)
        with self.assertRaises(AccessError):
            agreement.read(["outcome_note"])
        client = self._participant(self.case_a1, self.client_a1)
        for field in ("phone", "email"):
            with self.assertRaises(AccessError):
                client.with_user(self.portal_external).read([field])

    def test_a_topic_kept_for_the_full_report_leaves_the_invitation(self):
        meeting = self.create_meeting()
        self.prepare(meeting)
        meeting.with_context(lco_schedule_confirmed=True).action_schedule()
        topic = meeting.agenda_item_ids
        self.assertIn(topic.name, str(meeting.calendar_event_id.description))
        # The client decides, after the invitation went, to keep it from the
        # others: the one calendar event of all invitees drops it.
        topic.with_user(self.coordinator_a).report_visibility = "full"
        self.assertNotIn(topic.name, str(meeting.calendar_event_id.description))

    def test_the_scope_field_lists_the_full_readers(self):
        self.work_plan_only_for(self.external_worker)
        Case = self.env["lco.case"]
        self.assertIn(
            self.case_a1, Case.search([("lco_full_reader_ids", "in", self.aunt_a1.ids)])
        )
        self.assertNotIn(
            self.case_a1,
            Case.search([("lco_full_reader_ids", "in", self.external_worker.ids)]),
        )
        self.case_a1.participant_ids = [
            Command.update(
                self._participant(self.case_a1, self.aunt_a1).id, {"active": False}
            )
        ]
        self.assertNotIn(
            self.case_a1, Case.search([("lco_full_reader_ids", "in", self.aunt_a1.ids)])
        )
