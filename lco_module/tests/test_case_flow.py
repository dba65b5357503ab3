from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import LcoCommon


@tagged("post_install", "-at_install")
class TestCaseFlow(LcoCommon):
    def test_case_numbers_per_company(self):
        year = fields.Date.today().year
        prefix = f"LCO/A/{year}/"
        self.assertEqual(
            (self.case_a1 | self.case_a2 | self.case_a3 | self.case_b1).mapped("name"),
            [f"{prefix}0001", f"{prefix}0002", f"{prefix}0003", f"LCO/B/{year}/0001"],
        )
        case_b2 = (
            self.env["lco.case"]
            .with_user(self.coordinator_b)
            .create({"client_id": self.client_b1.id})
        )
        self.assertEqual(case_b2.name, f"LCO/B/{year}/0002")
        self.assertEqual(case_b2.display_name, f"LCO/B/{year}/0002 - Bart Client")

    def test_new_company_numbering(self):
        company_c = self.env["res.company"].create({"name": "OCMW C"})
        self.assertEqual(
            self.env["ir.sequence"].search_count(
                [("code", "=", "lco.case"), ("company_id", "=", company_c.id)]
            ),
            1,
        )
        self.manager_a.company_ids |= company_c
        case = (
            self.env["lco.case"]
            .with_user(self.manager_a)
            .create({"company_id": company_c.id, "client_id": self.service.id})
        )
        self.assertEqual(case.name, f"LCO/C/{fields.Date.today().year}/0001")

    def test_client_takes_part(self):
        case = (
            self.env["lco.case"]
            .with_user(self.coordinator_a)
            .create({"client_id": self.client_a3.id})
        )
        self.assertEqual(case.company_id, self.company_a)
        self.assertEqual(case.coordinator_id, self.coordinator_a)
        self.assertEqual(case.state, "draft")
        self.assertRecordValues(
            case.participant_ids, [{"partner_id": self.client_a3.id, "role": "client"}]
        )
        case.client_id = self.aunt_a1
        self.assertEqual(case.participant_ids.partner_id, self.client_a3 | self.aunt_a1)
        case.client_id = self.client_a3
        self.assertEqual(len(case.participant_ids), 2)

    def test_case_lifecycle(self):
        case = self.case_a2.with_user(self.coordinator2_a)
        case.action_activate()
        self.assertEqual(case.state, "active")
        with self.assertRaisesText(UserError, "Only a case in preparation"):
            case.action_activate()
        with self.assertRaisesText(UserError, "Only a cancelled case"):
            case.action_reset_draft()

        self._close_with_wizard(case, self.coordinator2_a)
        self.assertRecordValues(
            case,
            [
                {
                    "state": "closed",
                    "close_reason_id": self.close_reason.id,
                    "close_note": "The family has a home and feels supported.",
                    "date_closed": self.today,
                }
            ],
        )
        with self.assertRaisesText(UserError, "Only an active case can be closed"):
            case.action_open_close_wizard()
        with self.assertRaisesText(
            UserError, "Only a case in preparation or an active"
        ):
            case.action_cancel()
        with self.assertRaisesText(ValidationError, "no longer open"):
            self._create_meeting(case)

    def test_close_removes_planned_activities(self):
        self.case_a1.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.aid_worker_a.id
        )
        self._close_with_wizard(self.case_a1, self.coordinator_a)
        self.assertEqual(self.case_a1.state, "closed")
        self.assertFalse(self.case_a1.activity_ids)

    def test_draft_case_cannot_close(self):
        with self.assertRaisesText(UserError, "Only an active case can be closed"):
            self.case_a2.action_open_close_wizard()

    def test_cancel_and_prepare_again(self):
        for case in self.case_a1 | self.case_a2:
            with self.subTest(state=case.state):
                case.with_user(case.coordinator_id).action_cancel()
                self.assertEqual(case.state, "cancelled")
                with self.assertRaisesText(ValidationError, "no longer open"):
                    self._create_meeting(case)
                case.with_user(case.coordinator_id).action_reset_draft()
                self.assertEqual(case.state, "draft")

    def test_meeting_numbers(self):
        self.assertRecordValues(self.meeting_a1, [{"number": 1, "kind": "first"}])
        second, third = self.env["lco.meeting"].create(
            [{"case_id": self.case_a1.id}, {"case_id": self.case_a1.id}]
        )
        self.assertRecordValues(
            second | third,
            [
                {"number": 2, "kind": "follow_up"},
                {"number": 3, "kind": "follow_up"},
            ],
        )
        self.assertEqual(self._create_meeting(self.case_a2).number, 2)
        self.assertEqual(second.display_name, f"{self.case_a1.name} - meeting 2")

    def test_new_meeting_invites_active_participants(self):
        left = self._participant(self.case_a1, self.aunt_a1)
        left.action_archive()
        meeting = self._create_meeting(self.case_a1)
        self.assertEqual(
            meeting.attendee_ids.participant_id,
            self.env["lco.participant"].search([("case_id", "=", self.case_a1.id)]),
        )
        self.assertNotIn(left, meeting.attendee_ids.participant_id)
        self.assertEqual(set(meeting.attendee_ids.mapped("status")), {"invited"})
        self.assertEqual(meeting.chair_id, self.coordinator_a)

    def test_meeting_lifecycle(self):
        # As the coordinator who schedules it anyway when the preparation is
        # incomplete (test_meeting_flow covers the warning).
        meeting = (
            self._create_meeting(self.case_a2, start=False)
            .with_user(self.coordinator2_a)
            .with_context(lco_schedule_confirmed=True)
        )
        self.assertFalse(meeting.stop)
        with self.assertRaisesText(UserError, "Set the date and time"):
            meeting.action_schedule()
        with self.assertRaisesText(UserError, "Only a scheduled meeting can be held"):
            meeting.action_hold()
        start = fields.Datetime.now().replace(microsecond=0) + timedelta(days=3)
        meeting.start = start
        self.assertEqual(meeting.stop, start + timedelta(hours=2))
        meeting.action_schedule()
        self.assertEqual(meeting.state, "scheduled")
        with self.assertRaisesText(UserError, "Only a held meeting can be reported"):
            meeting.action_report()
        meeting.action_cancel()
        self.assertEqual(meeting.state, "cancelled")
        meeting.action_reset_draft()
        meeting.action_schedule()
        meeting.attendee_ids.status = "present"
        with freeze_time(meeting.start + timedelta(minutes=5)):
            meeting.action_hold()
        self.assertEqual(meeting.state, "held")
        with self.assertRaisesText(UserError, "has not taken place yet"):
            meeting.action_cancel()
        meeting.action_report()
        self.assertEqual(meeting.state, "reported")
        with self.assertRaisesText(UserError, "Only a cancelled meeting"):
            meeting.action_reset_draft()

    def test_date_first_meeting(self):
        earlier = self._create_meeting(
            self.case_a1, start=self.meeting_a1.start - timedelta(days=2)
        )
        self.assertEqual(self.case_a1.date_first_meeting, earlier.start)
        self._create_meeting(self.case_a1, start=False)
        self.assertEqual(self.case_a1.date_first_meeting, earlier.start)
        earlier.action_cancel()
        self.assertEqual(self.case_a1.date_first_meeting, self.meeting_a1.start)

    def test_tracking(self):
        case = self.case_a1.with_user(self.coordinator_a)
        case.pivot_id = self._participant(case, self.aid_worker2_a.partner_id)
        case.action_cancel()
        self.flush_tracking()
        case.with_user(self.manager_a).coordinator_id = self.coordinator2_a
        self.flush_tracking()
        tracked = {
            value.field_id.name: value
            for value in self.case_a1.message_ids.tracking_value_ids.sorted("id")
        }
        self.assertEqual(
            (tracked["state"].old_value_char, tracked["state"].new_value_char),
            ("Active", "Cancelled"),
        )
        self.assertEqual(
            (
                tracked["coordinator_id"].old_value_integer,
                tracked["coordinator_id"].new_value_integer,
            ),
            (self.coordinator_a.id, self.coordinator2_a.id),
        )
        self.assertEqual(
            tracked["pivot_id"].new_value_integer,
            self._participant(case, self.aid_worker2_a.partner_id).id,
        )
        self.assertEqual(
            tracked["pivot_id"].old_value_integer,
            self._participant(case, self.aid_worker_a.partner_id).id,
        )
        state_message = tracked["state"].mail_message_id
        self.assertEqual(state_message.author_id, self.coordinator_a.partner_id)

    def test_counts(self):
        self.assertRecordValues(
            self.case_a1,
            [
                {
                    "meeting_count": 1,
                    "open_agreement_count": 2,
                    "overdue_agreement_count": 0,
                }
            ],
        )
        self._create_meeting(self.case_a1).action_cancel()
        self._create_meeting(self.case_a1)
        self.agreement_a1_external.deadline = self.today - timedelta(days=1)
        self.agreement_a1_aid_worker.state = "done"
        self.env["lco.agreement"].create(
            {
                "case_id": self.case_a1.id,
                "name": "Call the school",
                "responsible_id": self._participant(self.case_a1, self.aunt_a1).id,
                "deadline": self.today - timedelta(days=3),
            }
        )
        self.case_a1.invalidate_recordset(
            ["meeting_count", "open_agreement_count", "overdue_agreement_count"]
        )
        self.assertRecordValues(
            self.case_a1 | self.case_a3,
            [
                {
                    "meeting_count": 2,
                    "open_agreement_count": 2,
                    "overdue_agreement_count": 2,
                },
                {
                    "meeting_count": 1,
                    "open_agreement_count": 1,
                    "overdue_agreement_count": 0,
                },
            ],
        )

    def test_smart_buttons(self):
        action = self.case_a1.action_view_meetings()
        self.assertEqual(
            self.env["lco.meeting"].search(action["domain"]), self.meeting_a1
        )
        action = self.case_a1.action_view_agreements()
        self.assertEqual(
            self.env["lco.agreement"].search(action["domain"]),
            self.case_a1.agreement_ids,
        )
        self.assertEqual(action["context"]["default_case_id"], self.case_a1.id)
