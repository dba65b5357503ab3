"""Security of meetings: the preparation checklist and its questions per
organisation, attendances and agenda items taken from the case's own
participants, and the agreements an aid worker reports on (issues 7 and 19).
The calendar event of a meeting: test_security_calendar.py."""

from datetime import timedelta

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common_meeting import LcoMeetingCommon


@tagged("post_install", "-at_install")
class TestMeetingSecurity(LcoMeetingCommon):
    """Who reads and ticks the checklist of a meeting, who keeps its
    questions; a meeting holds only the people of its own case."""

    def test_checklist_follows_the_case(self):
        meeting = self.create_meeting()
        items = self.env["lco.meeting.checklist.item"]
        mine = [("meeting_id", "=", meeting.id)]
        self.assertEqual(
            items.with_user(self.aid_worker_a).search(mine), meeting.checklist_item_ids
        )
        self.assertEqual(
            items.with_user(self.manager_a).search(mine), meeting.checklist_item_ids
        )
        self.assertFalse(items.with_user(self.outsider).search(mine))
        self.assertFalse(items.with_user(self.coordinator_b).search(mine))
        with self.assertRaises(AccessError):
            meeting.checklist_item_ids[0].with_user(self.outsider).read(["is_done"])
        with self.assertRaises(AccessError):
            meeting.checklist_item_ids[0].with_user(self.aid_worker_a).is_done = True
        meeting.checklist_item_ids[0].with_user(self.manager_a).is_done = True

    def test_checklist_questions_per_organisation(self):
        Question = self.env["lco.checklist.question"]
        own = Question.create(
            {"name": "Interpreter booked?", "company_id": self.company_a.id}
        )
        elsewhere = Question.create(
            {"name": "Elsewhere only", "company_id": self.company_b.id}
        )
        seen = Question.with_user(self.coordinator_a).search([])
        self.assertIn(own, seen)
        self.assertNotIn(elsewhere, seen)
        self.assertIn(self.env.ref("lco_module.checklist_question_pivot"), seen)
        with self.assertRaises(AccessError):
            Question.with_user(self.coordinator_a).create({"name": "Mine"})
        Question.with_user(self.manager_a).create({"name": "Shared question"})

    def test_attendee_from_other_case(self):
        stranger = self._participant(self.case_a2, self.client_a2)
        with self.assertRaisesText(ValidationError, "does not take part in case"):
            self.env["lco.meeting.attendee"].create(
                {"meeting_id": self.meeting_a1.id, "participant_id": stranger.id}
            )

    def test_agenda_item_proposer_from_other_case(self):
        stranger = self._participant(self.case_a2, self.client_a2)
        with self.assertRaisesText(ValidationError, "does not take part in case"):
            self.env["lco.agenda.item"].create(
                {
                    "meeting_id": self.meeting_a1.id,
                    "name": "Debts",
                    "proposed_by_id": stranger.id,
                }
            )

    def test_meeting_ends_after_start(self):
        with self.assertRaisesText(ValidationError, "cannot end before it starts"):
            self.meeting_a1.stop = self.meeting_a1.start - timedelta(hours=1)


@tagged("post_install", "-at_install")
class TestAgreementSecurity(LcoMeetingCommon):
    """An aid worker reports on the agreements he is responsible for, as long
    as he takes part; only the coordinator changes what was agreed; an
    agreement is for someone of its own case."""

    def test_aid_worker_reports_on_his_agreement(self):
        agreement = self.agreement_a1_aid_worker.with_user(self.aid_worker_a)
        agreement.write({"state": "done", "outcome_note": "Application sent."})
        self.assertRecordValues(
            agreement, [{"state": "done", "outcome_note": "Application sent."}]
        )
        for values in ({"name": "Something else"}, {"deadline": self.today}):
            with (
                self.subTest(field=next(iter(values))),
                self.assertRaisesText(AccessError, "Only the coordinator of the case"),
            ):
                agreement.write(values)
        with self.assertRaises(AccessError):
            self.agreement_a1_external.with_user(self.aid_worker_a).write(
                {"state": "done"}
            )
        self.assertEqual(self.agreement_a1_external.state, "open")

    def test_former_participant_cannot_report(self):
        participant = self._participant(self.case_a1, self.aid_worker2_a.partner_id)
        agreement = self.env["lco.agreement"].create(
            {
                "case_id": self.case_a1.id,
                "name": "Call the landlord",
                "responsible_id": participant.id,
            }
        )
        agreement.with_user(self.aid_worker2_a).state = "on_hold"
        participant.action_archive()
        with self.assertRaises(AccessError):
            agreement.with_user(self.aid_worker2_a).state = "done"

    def test_agreement_responsible_from_other_case(self):
        stranger = self._participant(self.case_a2, self.client_a2)
        with self.assertRaisesText(ValidationError, "does not take part in case"):
            self.env["lco.agreement"].create(
                {
                    "case_id": self.case_a1.id,
                    "name": "Call the landlord",
                    "responsible_id": stranger.id,
                }
            )
        with self.assertRaisesText(ValidationError, "does not take part in case"):
            self.agreement_a1_aid_worker.responsible_id = stranger
