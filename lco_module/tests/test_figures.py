from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common_request import LcoRequestCommon


@tagged("post_install", "-at_install")
class TestFigures(LcoRequestCommon):
    def test_days_from_request_to_decision_first_meeting_and_closing(self):
        request = self._taken(self._request())
        with freeze_time(request.date_received + timedelta(days=3)):
            request._decide("declined", "Another service fits better.")
        self.assertEqual(request.days_to_decision, 3)

        case = self.case_a1
        case.date_requested = self.today - timedelta(days=20)
        self.assertEqual(
            case.days_to_first_meeting,
            (case.date_first_meeting.date() - case.date_requested).days,
        )
        self.assertFalse(case.days_to_close)
        self.assertEqual(case.held_meeting_count, 0)
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT held_meeting_count FROM lco_case WHERE id = %s", [case.id]
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        meeting = case.meeting_ids.sudo()
        meeting.write({"state": "scheduled"})
        meeting.attendee_ids.status = "present"
        with freeze_time(meeting.start + timedelta(minutes=5)):
            meeting.write({"state": "held"})
        self.assertEqual(case.held_meeting_count, 1)
        case.sudo().write(
            {
                "state": "closed",
                "close_reason_id": self.close_reason.id,
                "date_closed": self.today,
            }
        )
        self.assertEqual(case.days_to_close, 20)

    def test_each_manager_counts_his_own_organisation(self):
        """Attendance per role, as the pivot asks it: a manager's figures hold
        his organisation's meetings only."""
        for manager, cases in (
            (self.manager_a, self.case_a1 | self.case_a2 | self.case_a3),
            (self.manager_b, self.case_b1),
        ):
            groups = (
                self.env["lco.meeting.attendee"]
                .with_user(manager)
                ._read_group([], ["role"], ["__count"])
            )
            attendees = cases.meeting_ids.attendee_ids
            self.assertEqual(
                dict(groups),
                {
                    role: len(attendees.filtered(lambda a, r=role: a.role == r))
                    for role in set(attendees.mapped("role"))
                },
            )
        counts = dict(
            self.env["lco.case"]
            .with_user(self.manager_b)
            ._read_group([], ["coordinator_id"], ["__count"])
        )
        self.assertEqual(counts, {self.coordinator_b: 1})

    def test_the_figures_are_for_coordinators_and_managers(self):
        menu = self.env.ref("lco_module.menu_lco_reporting")
        visible = {
            user: menu.id in self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            for user in (self.aid_worker_a, self.coordinator_a, self.manager_a)
        }
        self.assertEqual(
            [user for user, sees in visible.items() if sees],
            [self.coordinator_a, self.manager_a],
        )
