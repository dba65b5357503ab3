from odoo.tests import HttpCase, tagged

from .common_meeting import LcoMeetingCommon


@tagged("post_install", "-at_install", "is_tour")
class TestCalendarTour(HttpCase, LcoMeetingCommon):
    def test_aid_worker_cannot_move_the_meeting_in_the_calendar(self):
        """Issue 8, item 2: an invited aid worker moving the meeting's event in
        Odoo Calendar is refused; the meeting and its event keep one date."""
        meeting = self.create_meeting()
        self.prepare(meeting)
        with self.mock_mail_gateway():
            meeting.action_schedule()
        event = meeting.calendar_event_id
        start = meeting.start
        self.assertIn(self.aid_worker_a.partner_id, event.partner_ids)
        self.assertEqual(event.start, start)

        self.start_tour(
            f"/odoo/action-calendar.action_calendar_event/{event.id}",
            "lco_calendar_aid_worker_tour",
            login=self.aid_worker_a.login,
        )

        self.env.invalidate_all()
        self.assertEqual(meeting.start, start)
        self.assertEqual(event.start, start)
        self.assertEqual(meeting.calendar_event_id, event)
