"""Security of the calendar: the event of a scheduled meeting is found only
by who may read the meeting and by its invitees, changes only with its
meeting, and every invitee answers for himself (issue 7, item 2); other
organisations do not see it; other events stay as the calendar has them."""

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common_meeting import LcoMeetingCommon

# Worded per role (issue 22): the chair changes it in the meeting, an aid
# worker asks the coordinator (see test_trust).
CHANGE_IN_MEETING = "the invitation to a client consultation meeting"


class LcoCalendarSecurityCommon(LcoMeetingCommon):
    """LcoMeetingCommon with a meeting of case_a1 scheduled in every test (its
    calendar event in ``event``), and an employee of OCMW A without any LCO
    group who has an e-mail address."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employee = cls.employee_a
        cls.employee.partner_id.email = "employee@adorp.example"

    def setUp(self):
        super().setUp()
        self.meeting = self.create_meeting()
        self.prepare(self.meeting)
        with self.mock_mail_gateway():
            self.meeting.action_schedule()
        self.event = self.meeting.calendar_event_id

    def reply_of(self, partner, user):
        return self.event.attendee_ids.filtered(
            lambda a: a.partner_id == partner
        ).with_user(user)

    def attendance_of(self, partner):
        return self.meeting.attendee_ids.filtered(lambda a: a.partner_id == partner)


@tagged("post_install", "-at_install")
class TestCalendarSecurity(LcoCalendarSecurityCommon):
    """The calendar event of a scheduled meeting (issue 7, item 2): only who
    may read the meeting, and its invitees, find it; only the meeting changes
    it; every invitee answers for himself."""

    def test_only_who_may_read_the_meeting_finds_its_event(self):
        Event = self.env["calendar.event"]
        Attendee = self.env["calendar.attendee"]
        by_client = [("name", "ilike", "Kim Client")]
        by_agenda = [("description", "ilike", "Can we stay?")]
        for user in (self.employee, self.outsider, self.coordinator2_a):
            with self.subTest(user=user.login):
                self.assertFalse(Event.with_user(user).search(by_client))
                self.assertFalse(Event.with_user(user).search(by_agenda))
                self.assertFalse(
                    Attendee.with_user(user).search([("event_id", "=", self.event.id)])
                )
                with self.assertRaises(AccessError):
                    self.event.with_user(user).read(["name"])
                with self.assertRaises(AccessError):
                    self.event.attendee_ids.with_user(user).read(["partner_id"])
        # Another organisation, even with all its companies allowed.
        as_b = Event.with_user(self.coordinator_b).with_context(
            allowed_company_ids=[self.company_b.id]
        )
        self.assertFalse(as_b.search(by_client))
        for user in (self.coordinator_a, self.manager_a, self.aid_worker2_a):
            with self.subTest(user=user.login):
                self.assertEqual(Event.with_user(user).search(by_client), self.event)
                self.assertEqual(
                    Attendee.with_user(user).search([("event_id", "=", self.event.id)]),
                    self.event.attendee_ids,
                )
        # An aid worker who left the case no longer sees it, unless invited.
        self.participant(self.aid_worker2_a.partner_id).active = False
        self.meeting.attendee_ids.filtered(
            lambda a: a.partner_id == self.aid_worker2_a.partner_id
        ).unlink()
        self.assertFalse(Event.with_user(self.aid_worker2_a).search(by_client))

    def test_an_invitee_without_lco_group_sees_only_the_event(self):
        self.env["lco.participant"].create(
            {"case_id": self.case_a1.id, "partner_id": self.employee.partner_id.id}
        )
        with self.mock_mail_gateway():
            self.meeting.attendee_ids = [
                Command.create(
                    {"participant_id": self.participant(self.employee.partner_id).id}
                )
            ]
            self._give_consent(self.case_a1)
        self.assertEqual(
            self.env["calendar.event"]
            .with_user(self.employee)
            .search([("name", "ilike", "Kim Client")]),
            self.event,
        )
        with self.assertRaises(AccessError):
            self.meeting.with_user(self.employee).read(["location"])

    def test_the_event_changes_only_with_its_meeting(self):
        Attendee = self.env["calendar.attendee"]
        with self.assertRaises(AccessError):
            self.event.with_user(self.employee).partner_ids = [
                Command.link(self.employee.partner_id.id)
            ]
        with self.assertRaises(AccessError):
            Attendee.with_user(self.employee).create(
                {"event_id": self.event.id, "partner_id": self.employee.partner_id.id}
            )
        # Not the invitees, not even the chair: the meeting is where it changes.
        for user in (self.aid_worker_a, self.coordinator_a):
            event = self.event.with_user(user)
            with self.subTest(user=user.login), self.mock_mail_gateway():
                with self.assertRaisesText(UserError, CHANGE_IN_MEETING):
                    event.partner_ids = [Command.link(self.employee.partner_id.id)]
                with self.assertRaisesText(UserError, CHANGE_IN_MEETING):
                    event.start += timedelta(days=1)
                with self.assertRaisesText(UserError, CHANGE_IN_MEETING):
                    event.unlink()
                with self.assertRaises(UserError):
                    Attendee.with_user(user).create(
                        {
                            "event_id": self.event.id,
                            "partner_id": self.employee.partner_id.id,
                        }
                    )
                with self.assertRaises(UserError):
                    self.reply_of(self.aunt_a1, user).unlink()
            self.assertFalse(self._new_mails, "nobody was told anything")
        self.assertNotIn(self.employee.partner_id, self.event.partner_ids)
        self.assertIn(self.aunt_a1, self.event.partner_ids)
        self.assertEqual(self.event.start, self.meeting.start)

        with self.assertRaisesText(UserError, "from the meeting"):
            self.env["calendar.event"].with_user(self.employee).create(
                {"name": "Mine", "lco_meeting_id": self.meeting.id}
            )
        mine = (
            self.env["calendar.event"]
            .with_user(self.employee)
            .create(
                {
                    "name": "Mine",
                    "start": self.meeting.start,
                    "stop": self.meeting.stop,
                }
            )
        )
        with self.assertRaisesText(UserError, "from the meeting"):
            mine.lco_meeting_id = self.meeting

    def test_every_invitee_answers_for_himself(self):
        with self.assertRaises(AccessError):
            self.reply_of(self.aunt_a1, self.employee).state = "declined"
        for user in (self.aid_worker_a, self.coordinator_a):
            with self.subTest(user=user.login):
                with self.assertRaises(UserError):
                    self.reply_of(self.aunt_a1, user).state = "declined"
                with self.assertRaises(UserError):
                    self.reply_of(self.external_worker, user).do_decline()
        self.assertEqual(self.attendance_of(self.aunt_a1).status, "invited")
        self.assertEqual(self.attendance_of(self.external_worker).status, "invited")

        reply = self.reply_of(self.aid_worker_a.partner_id, self.aid_worker_a)
        reply.do_decline()
        self.assertEqual(reply.state, "declined")
        self.assertEqual(
            self.attendance_of(self.aid_worker_a.partner_id).status, "excused"
        )
        with self.assertRaises(UserError):
            reply.partner_id = self.employee.partner_id

    def test_mails_go_only_to_whom_the_meeting_invites(self):
        with self.assertRaises(AccessError):
            self.env["calendar.attendee"].with_user(self.employee).create(
                {"event_id": self.event.id, "partner_id": self.employee.partner_id.id}
            )
        with self.assertRaises(AccessError):
            self.event.with_user(self.employee).action_join_meeting(
                self.employee.partner_id.id
            )
        with self.mock_mail_gateway():
            self.meeting.start += timedelta(days=1)
        self.assertTrue(self._new_mails, "the invitees hear of the new date")
        self.assertLessEqual(
            self._new_mails.recipient_ids,
            self.meeting.attendee_ids.partner_id | self.coordinator_a.partner_id,
        )
        self.assertNotIn(self.employee.partner_id, self._new_mails.recipient_ids)

    def test_no_follower_names_the_invitees(self):
        self.assertFalse(
            self.env["mail.followers"]
            .with_user(self.employee)
            .search(
                [("res_model", "=", "calendar.event"), ("res_id", "=", self.event.id)]
            )
        )
        self.assertFalse(
            self.env["mail.message"]
            .with_user(self.employee)
            .search([("model", "=", "calendar.event"), ("res_id", "=", self.event.id)])
        )

    def test_other_events_are_as_the_calendar_has_them(self):
        start = fields.Datetime.now() + timedelta(days=3)
        team = (
            self.env["calendar.event"]
            .with_user(self.coordinator_a)
            .create(
                {
                    "name": "Team meeting",
                    "start": start,
                    "stop": start + timedelta(hours=1),
                    "partner_ids": [Command.link(self.aid_worker_a.partner_id.id)],
                }
            )
        )
        self.assertEqual(
            self.env["calendar.event"]
            .with_user(self.employee)
            .search([("name", "=", "Team meeting")]),
            team,
        )
        self.assertTrue(team.with_user(self.employee).attendee_ids)
        reply = team.attendee_ids.filtered(
            lambda a: a.partner_id == self.aid_worker_a.partner_id
        )
        with self.mock_mail_gateway():
            reply.with_user(self.coordinator_a).state = "declined"
            team.with_user(self.aid_worker_a).start += timedelta(hours=1)
            team.with_user(self.coordinator_a).unlink()

    def test_other_organisations_do_not_see_the_calendar_mirror(self):
        with self.assertRaises(AccessError):
            self.meeting.with_user(self.coordinator_b).read(["calendar_event_id"])
        with self.assertRaises(AccessError):
            self.event.with_user(self.outsider).read(["name"])


@tagged("post_install", "-at_install")
class TestCalendarLinks(HttpCase, LcoCalendarSecurityCommon):
    def test_the_join_link_does_not_add_an_employee(self):
        # As if the event had a discuss video call, whose link has its token.
        event = self.env["calendar.event"].browse(self.event.id)
        event.access_token = "lco-test-token"
        self.authenticate(self.employee.login, self.employee.login)
        self.url_open("/calendar/meeting/join?token=lco-test-token")
        self.assertNotIn(self.employee.partner_id, event.partner_ids)
