"""Issue 22, items 5 and 7: figures a manager trusts, and small things that
cost trust (someone else's agreement, a meeting moved onto another)."""

from datetime import timedelta

from lxml import etree

from odoo.tests import Form, tagged

from .common_meeting import LcoMeetingCommon


def filter_groups(arch):
    """{filter name: group number} as the web client groups a search view's
    filters: consecutive filters form one group (OR-ed), a separator or a
    <group> starts another (groups are AND-ed)."""
    groups, number = {}, 0
    for node in etree.fromstring(arch).iter("filter", "separator", "group"):
        if node.tag in ("separator", "group"):
            number += 1
        elif not node.get("context"):
            groups[node.get("name")] = number
    return groups


@tagged("post_install", "-at_install")
class TestManagerFigures(LcoMeetingCommon):
    def test_attendance_counts_held_meetings_of_the_last_12_months_only(self):
        """Both default filters hold: a meeting not yet held is not counted
        (they were OR-ed, as one filter group)."""
        action = self.env.ref("lco_module.action_lco_attendance_figures")
        Figure = self.env[action.res_model].with_user(self.manager_a)
        search = Figure.get_views([(action.search_view_id.id, "search")])["views"][
            "search"
        ]
        groups = filter_groups(search["arch"])
        self.assertIn("held", groups)
        self.assertNotEqual(groups["held"], groups["last_12_months"])
        self.assertIn("search_default_held", action.context)
        self.assertIn("search_default_last_12_months", action.context)

    def test_statuses_in_the_order_of_the_work(self):
        """Group-bys (pivot, graph, list) list the statuses as the forms do:
        in preparation before active, invited before present."""
        Case = self.env["lco.case"].with_user(self.manager_a)
        groups = Case.read_group(
            [("company_id", "=", self.company_a.id)], ["__count"], ["state"], lazy=False
        )
        states = [group["state"] for group in groups]
        self.assertEqual(states, ["draft", "active"])
        attendees = self.meeting_a1.attendee_ids
        attendees[0].status = "present"
        attendees[1].status = "excused"
        Attendee = self.env["lco.meeting.attendee"].with_user(self.manager_a)
        order = [value for value, _label in Attendee._fields["status"].selection]
        statuses = [
            group["status"]
            for group in Attendee.read_group(
                [("meeting_id", "=", self.meeting_a1.id)],
                ["__count"],
                ["role", "status"],
                lazy=False,
                orderby="status",
            )
        ]
        self.assertEqual(statuses, sorted(statuses, key=order.index))
        self.assertIn("present", statuses)
        self.assertIn("invited", statuses)

    def test_the_yearly_figures_open_on_last_year(self):
        wizard = Form(self.env["lco.yearly.figures.wizard"].with_user(self.manager_a))
        self.assertEqual(wizard.year, self.today.year - 1)

    def test_yearly_figures_labels_in_dutch(self):
        Report = self.env["report.lco_module.report_lco_yearly_figures"].with_user(
            self.manager_a
        )
        dutch = Report.with_context(lang="nl_BE")
        rows = dutch._agreement_rows(
            {(self.env["lco.life.domain"], "open"): [[0], [2]]}
        )
        self.assertTrue(rows[0][0].startswith("Geen levensdomein"), rows)
        coordinator = self.coordinator_a
        rows = dutch._case_rows({}, {}, {}, {(coordinator,): [[1], [2]]})
        labels = {label: (prev, cur) for label, prev, cur in rows}
        self.assertEqual(
            labels["Dossiers nog open op het einde van het jaar"], ("1", "2")
        )
        self.assertEqual(
            labels[f"… waarvan gecoördineerd door {coordinator.name}"], ("1", "2")
        )


@tagged("post_install", "-at_install")
class TestSmallThingsOfTrust(LcoMeetingCommon):
    def test_someone_else_s_agreement_is_read_only_for_an_aid_worker(self):
        other = self.agreement_a1_external.with_user(self.aid_worker_a)
        self.assertFalse(other.can_edit_terms)
        self.assertFalse(other.can_report)
        form = Form(other)
        with self.assertRaises(AssertionError):
            form.name = "Something else"
        with self.assertRaises(AssertionError):
            form.outcome_note = "Done"
        # His own: he reports how it went, the terms stay the coordinator's.
        own = Form(self.agreement_a1_aid_worker.with_user(self.aid_worker_a))
        own.outcome_note = "Form handed in"
        with self.assertRaises(AssertionError):
            own.deadline = self.today
        own.save()
        coordinator = Form(self.agreement_a1_external.with_user(self.coordinator_a))
        coordinator.name = "Visit the housing company with Kim"
        coordinator.save()

    def test_a_meeting_moved_onto_the_chair_s_other_meeting_is_warned(self):
        """Coordinator 2 chairs cases A2 and A3; moving A3's meeting (e.g. by a
        drag in the calendar) onto A2's is said on the meeting and to him."""
        Meeting = self.env["lco.meeting"].with_user(self.coordinator2_a)
        first = Meeting.browse(self.case_a2.meeting_ids.id)
        moved = Meeting.browse(self.case_a3.meeting_ids.id)
        moved.write(
            {
                "start": first.start + timedelta(days=3),
                "stop": first.stop + timedelta(days=3),
            }
        )
        self.assertFalse(moved.double_booking)
        notes = moved.message_ids
        moved.write({"start": first.start, "stop": first.stop})
        self.assertIn(self.coordinator2_a.name, moved.double_booking)
        warning = moved.message_ids - notes
        self.assertEqual(len(warning), 1)
        self.assertIn("Double booking?", warning.body)
        self.assertIn(self.coordinator2_a.name, warning.body)

    def test_unpostable_invitation_letter_is_announced(self):
        meeting = self.case_a1.meeting_ids.with_user(self.coordinator_a)
        self.assertNotIn("Kim Client", meeting.unpostable_letters or "")
        self.client_a1.street = False
        meeting.invalidate_recordset(["unpostable_letters"])
        self.assertIn("Kim Client", meeting.unpostable_letters)

    def test_an_aid_worker_is_told_who_changes_the_meeting(self):
        meeting = self.create_meeting(days=3)
        self.prepare(meeting)
        meeting.action_schedule()
        event = meeting.sudo().calendar_event_id.with_user(self.aid_worker_a)
        message = event._lco_meeting_change_message()
        self.assertIn("only its coordinator", message)
        chair = event.with_user(self.coordinator_a)._lco_meeting_change_message()
        self.assertIn("in the consultation meeting", chair)
