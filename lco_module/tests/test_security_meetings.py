from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common_meeting import LcoMeetingCommon


@tagged("post_install", "-at_install")
class TestMeetingSecurity(LcoMeetingCommon):
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

    def test_other_organisations_do_not_see_the_calendar_mirror(self):
        meeting = self.create_meeting()
        self.prepare(meeting)
        meeting.action_schedule()
        with self.assertRaises(AccessError):
            meeting.with_user(self.coordinator_b).read(["calendar_event_id"])
        with self.assertRaises(AccessError):
            meeting.calendar_event_id.with_user(self.outsider).read(["name"])
