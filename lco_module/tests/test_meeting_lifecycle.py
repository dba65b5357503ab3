from datetime import timedelta

import pytz
from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common_meeting import LcoMeetingCommon


@tagged("post_install", "-at_install")
class TestMeetingLifecycle(LcoMeetingCommon):
    """Issue 8: a reported meeting is a record, meetings are planned from the
    case, the checklist knows the case, participants talk in the chatter."""

    def reported_meeting(self):
        meeting = self.create_meeting(days=-1)
        self.prepare(meeting)
        meeting.action_schedule()
        self.hold(meeting)
        agreement = (
            self.env["lco.agreement"]
            .with_user(self.coordinator_a)
            .create(
                {
                    "case_id": self.case_a1.id,
                    "meeting_id": meeting.id,
                    "name": "Ask the energy supplier for a payment plan",
                    "responsible_id": self.participant(self.aid_worker_a.partner_id).id,
                }
            )
        )
        meeting.action_report()
        return meeting, agreement

    # Item 3 ---------------------------------------------------------------

    def test_reported_meeting_is_locked(self):
        meeting, agreement = self.reported_meeting()
        self.assertEqual(meeting.state, "reported")
        for change in (
            lambda: meeting.write({"minutes": "<p>Changed afterwards</p>"}),
            lambda: meeting.write({"location": "Elsewhere"}),
            lambda: meeting.attendee_ids[0].write({"status": "absent"}),
            meeting.agenda_item_ids.unlink,
            lambda: meeting.agenda_item_ids.create(
                {"meeting_id": meeting.id, "name": "Added later"}
            ),
            lambda: meeting.checklist_item_ids[0].write({"note": "later"}),
            lambda: agreement.write({"name": "Something else was agreed"}),
            agreement.unlink,
            meeting.unlink,
        ):
            with self.assertRaises(UserError):
                change()
        with self.assertRaisesText(UserError, "cannot be deleted"):
            meeting.with_user(self.manager_a).unlink()
        self.assertEqual(meeting.minutes, False)
        # The responsible still reports how it went.
        agreement.with_user(self.aid_worker_a).write(
            {"state": "done", "outcome_note": "Plan of 12 months"}
        )
        self.assertEqual(agreement.state, "done")

    def test_reopen_with_reason(self):
        meeting, __ = self.reported_meeting()
        with self.assertRaisesText(UserError, "Reopen button"):
            meeting.write({"state": "held"})
        with self.assertRaises(AccessError):
            meeting.with_user(self.aid_worker_a).action_open_reopen_wizard()
        with self.assertRaises(AccessError):
            meeting.with_user(self.coordinator2_a).action_open_reopen_wizard()
        action = meeting.action_open_reopen_wizard()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.coordinator_a)
            .with_context(**action["context"])
            .create({"reason": " "})
        )
        with self.assertRaisesText(UserError, "reason"):
            wizard.action_reopen()
        wizard.reason = "Ann was present, not excused."
        wizard.action_reopen()
        self.assertEqual(meeting.state, "held")
        self.assertIn("Ann was present, not excused.", meeting.message_ids[0].body)
        meeting.attendee_ids.filtered(
            lambda a: a.partner_id == self.external_worker
        ).status = "present"
        meeting.action_report()
        self.assertEqual(meeting.state, "reported")

    def test_manager_reopens(self):
        meeting, __ = self.reported_meeting()
        meeting.with_user(self.manager_a)._reopen("Wrong date of the next meeting")
        self.assertEqual(meeting.state, "held")

    def test_held_not_before_start(self):
        meeting = self.create_meeting(days=2)
        self.prepare(meeting)
        meeting.action_schedule()
        meeting.attendee_ids.status = "present"
        with self.assertRaisesText(UserError, "has not started yet"):
            meeting.action_hold()
        with freeze_time(meeting.start + timedelta(minutes=1)):
            meeting.action_hold()
        self.assertEqual(meeting.state, "held")

    def test_case_not_duplicated(self):
        with self.assertRaisesText(UserError, "cannot be duplicated"):
            self.case_a1.with_user(self.coordinator_a).copy()
        self.assertEqual(
            self.env["lco.case"].search_count([("client_id", "=", self.client_a1.id)]),
            1,
        )

    # Item 6 ---------------------------------------------------------------

    def test_plan_meeting_from_case(self):
        self.coordinator_a.tz = "Europe/Brussels"
        case = self.case_a1.with_user(self.coordinator_a)
        action = case.action_plan_meeting()
        self.assertEqual(action["target"], "current")
        meeting = self.env["lco.meeting"].browse(action["res_id"])
        self.assertEqual(meeting.state, "draft")
        self.assertEqual(meeting.number, 2)
        self.assertTrue(meeting.checklist_item_ids)
        self.assertEqual(
            meeting.attendee_ids.participant_id, self.case_a1.participant_ids
        )
        local = pytz.utc.localize(meeting.start).astimezone(
            pytz.timezone("Europe/Brussels")
        )
        self.assertEqual((local.hour, local.minute), (10, 0))
        self.assertLess(local.weekday(), 5, "never in the weekend")
        self.assertGreater(meeting.start, fields.Datetime.now())
        with self.assertRaises(AccessError):
            self.case_a1.with_user(self.aid_worker_a).action_plan_meeting()
        self.case_a3.with_user(self.coordinator2_a).action_cancel()
        with self.assertRaisesText(UserError, "no longer open"):
            self.case_a3.with_user(self.coordinator2_a).action_plan_meeting()

    # Item 7 ---------------------------------------------------------------

    def test_checklist_answered_by_case(self):
        pivot_question = self.env.ref("lco_module.checklist_question_pivot")
        consent_question = self.env.ref("lco_module.checklist_question_agrees")
        meeting = self.create_meeting()
        items = {item.question_id: item for item in meeting.checklist_item_ids}
        self.assertTrue(items[pivot_question].is_done, "case A1 has a pivot")
        self.assertTrue(items[consent_question].is_done, "Kim consented")
        self.assertNotIn(pivot_question.name, meeting.preparation_issues)
        # Case A3 has no pivot yet: the item follows the case.
        other = self.case_a3.with_user(self.coordinator2_a).action_plan_meeting()
        other = self.env["lco.meeting"].browse(other["res_id"])
        item = other.checklist_item_ids.filtered(
            lambda i: i.question_id == pivot_question
        )
        self.assertFalse(item.is_done)
        self.assertIn("no pivot figure", other.preparation_issues)
        self.assertNotIn(
            f"Not checked yet: {pivot_question.name}", other.preparation_issues
        )
        self.case_a3.with_user(self.coordinator2_a).write(
            {
                "participant_ids": [
                    Command.create(
                        {
                            "partner_id": self.aid_worker2_a.partner_id.id,
                            "role": "professional",
                        }
                    )
                ]
            }
        )
        self.case_a3.with_user(self.coordinator2_a).pivot_id = self._participant(
            self.case_a3, self.aid_worker2_a.partner_id
        )
        self.assertTrue(item.is_done)

    # Item 8 ---------------------------------------------------------------

    def test_participants_post_in_chatter(self):
        for record in (self.case_a1, self.meeting_a1):
            message = record.with_user(self.aid_worker_a).message_post(
                body="I spoke to Kim yesterday.", message_type="comment"
            )
            self.assertEqual(message.author_id, self.aid_worker_a.partner_id)
            with self.assertRaises(AccessError):
                record.with_user(self.aid_worker_b).message_post(body="Hello")
            with self.assertRaises(AccessError):
                record.with_user(self.outsider).message_post(body="Hello")
        with self.assertRaises(AccessError):
            self.case_a1.with_user(self.aid_worker_a).write({"question": "Changed"})
        with self.assertRaises(UserError):
            self.case_a1.with_user(self.aid_worker_a).message_post(
                body="For you", partner_ids=self.client_b1.ids
            )

    # Low ------------------------------------------------------------------

    def test_double_booking_warning(self):
        meeting = self.create_meeting(days=3)
        self.assertFalse(meeting.double_booking)
        # Coordinator A is the pivot of case A2: a meeting there at the same time.
        other = (
            self.env["lco.meeting"]
            .with_user(self.coordinator2_a)
            .create(
                {
                    "case_id": self.case_a2.id,
                    "start": meeting.start + timedelta(hours=1),
                }
            )
        )
        self.assertIn(self.coordinator_a.name, other.double_booking)
        meeting.invalidate_recordset(["double_booking"])
        self.assertIn(self.coordinator_a.name, meeting.double_booking)
        other.start = meeting.start + timedelta(days=1)
        self.assertFalse(other.double_booking)
