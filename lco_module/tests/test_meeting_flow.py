from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common_meeting import LcoMeetingCommon


@tagged("post_install", "-at_install")
class TestMeetingFlow(LcoMeetingCommon):
    def test_new_meeting_is_prepared_along_the_checklist(self):
        questions = self.env["lco.checklist.question"].search(
            [("company_id", "in", [False, self.company_a.id])]
        )
        own = self.env["lco.checklist.question"].create(
            {"name": "Is an interpreter booked?", "company_id": self.company_a.id}
        )
        self.env["lco.checklist.question"].create(
            {"name": "Elsewhere only", "company_id": self.company_b.id}
        )
        meeting = self.create_meeting()
        self.assertEqual(
            meeting.checklist_item_ids.question_id, questions | own, "own and shared"
        )
        self.assertEqual(len(questions), 7, "the questions of the Oostende checklist")
        self.assertEqual(meeting.checklist_progress, 0)
        meeting.checklist_item_ids[:4].is_done = True
        self.assertAlmostEqual(meeting.checklist_progress, 50.0)
        self.assertEqual(
            meeting.attendee_ids.partner_id,
            self.case_a1.participant_ids.partner_id,
            "the whole team is invited",
        )

    def test_a_new_topic_is_proposed_by_the_client(self):
        meeting = self.create_meeting()
        with Form(meeting) as form, form.agenda_item_ids.new() as item:
            item.name = "Where will we live?"
        self.assertEqual(
            meeting.agenda_item_ids.proposed_by_id.partner_id, self.client_a1
        )
        aunt = self.participant(self.aunt_a1)
        meeting.agenda_item_ids = [
            Command.create({"name": "Money", "proposed_by_id": aunt.id})
        ]
        self.assertEqual(
            meeting.agenda_item_ids.proposed_by_id.partner_id,
            self.client_a1 | self.aunt_a1,
        )

    def test_scheduling_warns_about_an_incomplete_preparation(self):
        self.case_a1.consent_revoked_date = self.case_a1.consent_date
        meeting = self.create_meeting()
        action = meeting.action_schedule()
        self.assertEqual(action["res_model"], "lco.meeting.schedule")
        self.assertEqual(meeting.state, "draft", "nothing happens without confirmation")
        wizard = (
            self.env["lco.meeting.schedule"]
            .with_user(self.coordinator_a)
            .with_context(**action["context"])
            .create({})
        )
        self.assertIn("consent", wizard.issues)
        self.assertIn("Is there a pivot figure for this family?", wizard.issues)
        self.assertIn("The client has not put any topic on the agenda", wizard.issues)
        self.assertNotIn("no pivot figure", wizard.issues, "the case has one")
        wizard.action_schedule()
        self.assertEqual(meeting.state, "scheduled")

    def test_a_prepared_meeting_is_scheduled_at_once(self):
        meeting = self.create_meeting()
        self.prepare(meeting)
        self.assertFalse(meeting.preparation_issues)
        self.assertIs(meeting.action_schedule(), True)
        self.assertEqual(meeting.state, "scheduled")

    def test_the_organisation_can_block_unprepared_meetings(self):
        self.company_a.lco_block_unprepared_meetings = True
        meeting = self.create_meeting()
        self.prepare(meeting)
        meeting.checklist_item_ids[-1].is_done = False
        with self.assertRaisesRegex(UserError, "pivot figure for this family"):
            meeting.action_schedule()
        self.assertEqual(meeting.state, "draft")
        meeting.checklist_item_ids.is_done = True
        meeting.action_schedule()
        self.assertEqual(meeting.state, "scheduled")

    def test_scheduling_needs_a_date(self):
        meeting = self.create_meeting(start=False)
        with self.assertRaisesRegex(UserError, "date and time"):
            meeting.action_schedule()

    def test_state_flow(self):
        meeting = self.create_meeting()
        self.prepare(meeting)
        with self.assertRaises(UserError):
            meeting.action_hold()
        meeting.action_schedule()
        with self.assertRaises(UserError):
            meeting.action_schedule()
        meeting.attendee_ids[0].status = "present"
        with self.assertRaisesRegex(UserError, "Record who was present"):
            meeting.action_hold()
        self.hold(meeting)
        self.assertEqual(meeting.state, "held")
        with self.assertRaises(UserError):
            meeting.action_cancel()
        meeting.action_report()
        self.assertEqual(meeting.state, "reported")

        other = self.create_meeting(days=40)
        other.action_cancel()
        self.assertEqual(other.state, "cancelled")
        other.action_reset_draft()
        self.assertEqual(other.state, "draft")

    def test_aid_workers_follow_but_do_not_run_meetings(self):
        meeting = self.create_meeting()
        self.prepare(meeting)
        as_aid_worker = meeting.with_user(self.aid_worker_a)
        self.assertEqual(as_aid_worker.checklist_progress, 100)
        with self.assertRaises(AccessError):
            as_aid_worker.action_schedule()
        with self.assertRaises(AccessError):
            as_aid_worker.checklist_item_ids[0].is_done = False

    def test_holding_the_meeting_in_the_form(self):
        meeting = self.create_meeting()
        self.prepare(meeting)
        meeting.action_schedule()
        with Form(meeting.with_user(self.coordinator_a)) as form:
            for index in range(len(form.attendee_ids)):
                with form.attendee_ids.edit(index) as attendee:
                    attendee.status = "excused" if index == 1 else "present"
            form.client_perspective = "Kim wants peace at home."
            form.strengths = "She keeps coming."
            with form.agenda_item_ids.edit(0) as item:
                item.summary = "The housing company waits three months."
            with form.agreement_ids.new() as agreement:
                agreement.name = "Ask a payment plan"
                agreement.responsible_id = self.participant(
                    self.aid_worker_a.partner_id
                )
                agreement.life_domain_id = self.life_domain_housing
        meeting.action_hold()
        self.assertEqual(meeting.agreement_ids.case_id, self.case_a1)
        self.assertEqual(
            meeting.attendee_ids.mapped("status").count("excused"), 1, "one excused"
        )

    def test_plan_follow_up_with_the_same_participants(self):
        meeting = self.create_meeting()
        self.prepare(meeting)
        meeting.action_schedule()
        counsellor = meeting.attendee_ids.filtered(
            lambda a: a.partner_id == self.external_worker
        )
        counsellor.practical_needs = "Comes by train"
        meeting.attendee_ids.filtered(lambda a: a.partner_id == self.aunt_a1).unlink()
        self.hold(meeting)
        with self.assertRaises(UserError):
            self.create_meeting().action_plan_follow_up()

        action = meeting.action_plan_follow_up()
        follow_up = self.env["lco.meeting"].browse(action["res_id"])
        self.assertEqual(follow_up.kind, "follow_up")
        self.assertEqual(follow_up.number, meeting.number + 1)
        self.assertEqual(follow_up.state, "draft")
        self.assertEqual(
            follow_up.attendee_ids.partner_id, meeting.attendee_ids.partner_id
        )
        self.assertNotIn(self.aunt_a1, follow_up.attendee_ids.partner_id)
        self.assertEqual(
            follow_up.attendee_ids.filtered(
                lambda a: a.partner_id == self.external_worker
            ).practical_needs,
            "Comes by train",
        )
        self.assertEqual(meeting.next_meeting_id, follow_up)
        self.assertEqual(
            meeting.action_plan_follow_up()["res_id"], follow_up.id, "planned once"
        )

    def test_open_agreements_come_back_in_the_next_meeting(self):
        first = self.create_meeting()
        self.prepare(first)
        first.action_schedule()
        self.hold(first)
        pivot = self.participant(self.aid_worker_a.partner_id)
        Agreement = self.env["lco.agreement"].with_user(self.coordinator_a)
        still_open, done = Agreement.create(
            [
                {
                    "case_id": self.case_a1.id,
                    "meeting_id": first.id,
                    "name": name,
                    "responsible_id": pivot.id,
                    "state": state,
                }
                for name, state in (("Call the landlord", "open"), ("Visit", "done"))
            ]
        )
        second = self.env["lco.meeting"].browse(first.action_plan_follow_up()["res_id"])
        self.assertEqual(second.evaluated_agreement_ids, still_open)

        third = self.create_meeting(days=60)
        self.assertFalse(
            third.evaluated_agreement_ids, "not taken from a meeting still to come"
        )
        self.prepare(second)
        second.start = first.start + timedelta(days=30)
        second.action_schedule()
        self.hold(second)
        made_later = Agreement.create(
            {
                "case_id": self.case_a1.id,
                "meeting_id": second.id,
                "name": "Ask for a payment plan",
                "responsible_id": pivot.id,
            }
        )
        third.action_load_open_agreements()
        self.assertEqual(third.evaluated_agreement_ids, still_open | made_later)
        self.assertFalse(done.evaluation_meeting_id)
