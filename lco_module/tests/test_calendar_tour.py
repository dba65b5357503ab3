from datetime import datetime, time

from dateutil.relativedelta import relativedelta

from odoo import fields
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

    def test_calendar_offers_the_meeting_and_draws_a_refused_drag_back(self):
        """Issue 22, item 7: in the calendar, an invited aid worker's popover of
        the meeting's event has no Edit or Delete but "Open Meeting"; his drag
        to another day is refused and the event is drawn back on its day."""
        day = fields.Date.today() + relativedelta(months=1, day=20)
        meeting = self.create_meeting(start=datetime.combine(day, time(10)))
        self.prepare(meeting)
        with self.mock_mail_gateway():
            meeting.action_schedule()
        event = meeting.calendar_event_id
        start = meeting.start
        # The attendee calendar opened on the meeting's day.
        action = self.env["ir.actions.act_window"].create(
            {
                "name": "Calendar",
                "res_model": "calendar.event",
                "view_mode": "calendar",
                "view_id": self.env.ref("calendar.view_calendar_event_calendar").id,
                "context": repr({"initial_date": fields.Datetime.to_string(start)}),
            }
        )

        self.start_tour(
            f"/odoo/action-{action.id}",
            "lco_calendar_popover_drag_tour",
            login=self.aid_worker_a.login,
        )

        self.env.invalidate_all()
        self.assertEqual(meeting.start, start)
        self.assertEqual(event.start, start)

    def test_who_may_open_the_meeting_from_the_calendar(self):
        """The popover offers the meeting to who may read it only: an invited
        colleague without the consultation groups sees the event (and answers
        the invitation), not the meeting."""
        self.env["lco.participant"].create(
            {
                "case_id": self.case_a1.id,
                "partner_id": self.employee_a.partner_id.id,
                "role": "professional",
            }
        )
        self._give_consent(self.case_a1)
        meeting = self.create_meeting()
        self.prepare(meeting)
        with self.mock_mail_gateway():
            meeting.action_schedule()
        event = meeting.calendar_event_id
        self.assertIn(self.employee_a.partner_id, event.partner_ids)
        for user in (self.aid_worker_a, self.coordinator_a, self.manager_a):
            self.assertTrue(event.with_user(user).lco_meeting_readable, user.login)
        as_employee = event.with_user(self.employee_a)
        self.assertTrue(as_employee.has_access("read"))
        self.assertFalse(as_employee.lco_meeting_readable)
