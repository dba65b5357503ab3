from datetime import timedelta

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .common_meeting import LcoMeetingCommon


@tagged("post_install", "-at_install")
class TestMeetingCalendar(LcoMeetingCommon):
    def schedule(self, **values):
        meeting = self.create_meeting(**values)
        self.prepare(meeting)
        meeting.action_schedule()
        return meeting

    def test_scheduling_invites_the_attendees_through_the_calendar(self):
        with self.mock_mail_gateway():
            meeting = self.schedule(location="Sociaal Huis, zaal 2")
        event = meeting.calendar_event_id
        self.assertTrue(event)
        self.assertEqual(
            event.partner_ids,
            meeting.attendee_ids.partner_id | self.coordinator_a.partner_id,
        )
        self.assertEqual((event.start, event.stop), (meeting.start, meeting.stop))
        self.assertEqual(event.location, "Sociaal Huis, zaal 2")
        self.assertEqual(event.user_id, self.coordinator_a)
        self.assertEqual(event.privacy, "private", "the client's name stays private")
        self.assertEqual((event.res_model, event.res_id), ("lco.meeting", meeting.id))
        self.assertIn("Can we stay?", event.description, "the agenda travels along")
        self.assertFalse(meeting.activity_ids, "no calendar activity on the meeting")

        invitation = self.mails_to(self.external_worker)
        self.assertEqual(len(invitation), 1)
        self.assertEqual(invitation.attachment_ids.mapped("name"), ["invitation.ics"])
        self.assertTrue(self.mails_to(self.aid_worker_a.partner_id))
        self.assertFalse(self.mails_to(self.client_a1), "the client gets a letter")

    def test_rescheduling_moves_the_event_and_tells_the_attendees(self):
        meeting = self.schedule()
        event = meeting.calendar_event_id
        with self.mock_mail_gateway():
            meeting.location = "Dagcentrum"
        self.assertEqual(event.location, "Dagcentrum")
        self.assertFalse(
            self.mails_to(self.external_worker), "no mail for another room"
        )

        with self.mock_mail_gateway():
            meeting.start += timedelta(days=7, hours=1)
        self.assertEqual(meeting.calendar_event_id, event)
        self.assertEqual((event.start, event.stop), (meeting.start, meeting.stop))
        changed = self.mails_to(self.external_worker)
        self.assertEqual(len(changed), 1)
        self.assertIn("invitation.ics", changed.attachment_ids.mapped("name"))

    def test_a_new_attendee_is_invited_and_a_removed_one_dropped(self):
        meeting = self.schedule()
        newcomer = self.env["res.partner"].create(
            {"name": "Nora CLB", "email": "nora@clb.example"}
        )
        participant = self.env["lco.participant"].create(
            {"case_id": self.case_a1.id, "partner_id": newcomer.id}
        )
        meeting.attendee_ids = [Command.create({"participant_id": participant.id})]
        self.assertNotIn(
            newcomer,
            meeting.calendar_event_id.partner_ids,
            "the consent covers him not",
        )
        with self.mock_mail_gateway():
            self._give_consent(self.case_a1)
        self.assertIn(newcomer, meeting.calendar_event_id.partner_ids)
        self.assertEqual(len(self.mails_to(newcomer)), 1)
        self.assertFalse(self.mails_to(self.external_worker), "invited already")

        meeting.attendee_ids.filtered(lambda a: a.partner_id == self.aunt_a1).unlink()
        self.assertNotIn(self.aunt_a1, meeting.calendar_event_id.partner_ids)

    def test_cancelling_tells_the_invitees_and_removes_the_event(self):
        meeting = self.schedule()
        event = meeting.calendar_event_id
        with self.mock_mail_gateway():
            meeting.action_cancel()
        self.assertFalse(event.exists())
        self.assertFalse(meeting.calendar_event_id)
        cancellation = self._new_mails.filtered(
            lambda mail: mail.model == "lco.meeting.attendee"
        )
        self.assertEqual(
            cancellation.recipient_ids,
            meeting.attendee_ids.partner_id.filtered("email"),
            "everyone with an address",
        )
        self.assertIn(self.external_worker, cancellation.recipient_ids)
        self.assertIn(
            "Geannuleerd",
            self.mails_to(self.external_worker).subject,
            "in the invitee's language",
        )
        self.assertIn("Cancellation sent to", meeting.message_ids[0].body)

        meeting.action_reset_draft()
        meeting.action_schedule()
        self.assertTrue(meeting.calendar_event_id, "a new invitation")

    def test_deleting_a_scheduled_meeting_cancels_it(self):
        """Issue 7, item 11: nothing stays behind in the invitees' calendars."""
        meeting = self.schedule()
        event = meeting.calendar_event_id
        with self.mock_mail_gateway():
            self.assertIs(meeting.unlink(), True)
        self.assertFalse(event.exists())
        self.assertIn(
            "Geannuleerd",
            self.mails_to(self.external_worker).subject,
            "the invitees are told",
        )

        held = self.schedule(days=-1)
        self.hold(held)
        with self.assertRaisesText(UserError, "part of the case's record"):
            held.unlink()
        held.action_report()
        with self.assertRaisesText(UserError, "part of the case's record"):
            held.unlink()
        self.assertTrue(held.calendar_event_id.exists())
        self.create_meeting(days=30).unlink()

    def test_replies_become_attendance(self):
        meeting = self.schedule()
        reply = meeting.calendar_event_id.attendee_ids.filtered(
            lambda a: a.partner_id == self.aid_worker_a.partner_id
        ).with_user(self.aid_worker_a)
        attendance = meeting.attendee_ids.filtered(
            lambda a: a.partner_id == self.aid_worker_a.partner_id
        )
        reply.do_accept()
        self.assertEqual(attendance.status, "confirmed")
        reply.do_decline()
        self.assertEqual(attendance.status, "excused")
        reply.do_tentative()
        self.assertEqual(attendance.status, "invited")

        self.hold(meeting)
        reply.do_decline()
        self.assertEqual(attendance.status, "present", "what happened stays")

    def test_a_manager_moves_a_meeting_the_coordinator_chairs(self):
        meeting = self.schedule()
        meeting.with_user(self.manager_a).start += timedelta(hours=2)
        self.assertEqual(meeting.calendar_event_id.start, meeting.start)


@tagged("post_install", "-at_install")
class TestInvitationReply(HttpCase, LcoMeetingCommon):
    def test_an_external_invitee_declines_from_the_mail(self):
        meeting = self.create_meeting()
        self.prepare(meeting)
        meeting.action_schedule()
        reply = meeting.calendar_event_id.attendee_ids.filtered(
            lambda a: a.partner_id == self.external_worker
        )
        response = self.url_open(
            f"/calendar/meeting/decline?token={reply.access_token}"
            f"&id={meeting.calendar_event_id.id}"
        )
        self.assertEqual(response.status_code, 200)
        counsellor = meeting.attendee_ids.filtered(
            lambda a: a.partner_id == self.external_worker
        )
        self.assertEqual(counsellor.status, "excused")
