from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged


def _case_with_pivot(coordinator, client, aid_worker):
    """A case of ``coordinator`` for ``client``, with consent, and
    ``aid_worker`` as its pivot figure."""
    case = (
        coordinator.env["lco.case"]
        .with_user(coordinator)
        .create(
            {
                "client_id": client.id,
                "participant_ids": [
                    Command.create({"partner_id": aid_worker.partner_id.id})
                ],
            }
        )
    )
    case.pivot_id = case.participant_ids.filtered(
        lambda p: p.partner_id == aid_worker.partner_id
    )
    consent = case.env["lco.consent"].create(
        {
            "case_id": case.id,
            "date_given": fields.Date.today(),
            "line_ids": [Command.create({"participant_id": case.pivot_id.id})],
        }
    )
    consent.action_give()
    return case


@tagged("post_install", "-at_install", "is_tour")
class TestMeetingTour(HttpCase):
    def test_coordinator_runs_a_meeting_in_the_web_client(self):
        coordinator = new_test_user(
            self.env,
            "lco_tour_coordinator",
            groups="lco_module.group_lco_coordinator,base.group_partner_manager",
            name="Lotte Tour",
            email="lotte.tour@ocmw.example",
            tz="Europe/Brussels",
        )
        aid_worker = new_test_user(
            self.env,
            "lco_tour_aid_worker",
            groups="lco_module.group_lco_user",
            name="Pieter Tour",
            email="pieter.tour@ocmw.example",
        )
        client = self.env["res.partner"].create({"name": "Jonas Tour"})
        case = _case_with_pivot(coordinator, client, aid_worker)
        case.action_activate()
        meeting = (
            self.env["lco.meeting"]
            .with_user(coordinator)
            .create(
                {
                    "case_id": case.id,
                    # About to start: it is held in the tour, which is refused
                    # before its start.
                    "start": fields.Datetime.now().replace(second=0)
                    - timedelta(minutes=30),
                    "location": "Sociaal Huis, zaal 1",
                }
            )
        )

        self.start_tour(
            f"/odoo/action-lco_module.action_lco_meeting/{meeting.id}",
            "lco_meeting_tour",
            login="lco_tour_coordinator",
        )

        self.assertEqual(meeting.state, "reported")
        self.assertEqual(
            meeting.calendar_event_id.partner_ids,
            client | aid_worker.partner_id | coordinator.partner_id,
        )
        self.assertEqual(meeting.agenda_item_ids.proposed_by_id.partner_id, client)
        self.assertEqual(
            {a.partner_id: a.status for a in meeting.attendee_ids},
            {client: "present", aid_worker.partner_id: "excused"},
        )
        agreement = meeting.agreement_ids
        self.assertEqual(agreement.name, "File the request for supported living")
        self.assertEqual(agreement.activity_ids.user_id, aid_worker)
        self.assertIn("Print and post a copy for Jonas Tour", case.message_ids[0].body)


@tagged("post_install", "-at_install", "is_tour")
class TestPlanMeetingTour(HttpCase):
    def test_coordinator_plans_a_meeting_from_the_case(self):
        """Issue 8, item 6: the Plan Meeting button of the case opens the new
        meeting full screen, prepared from the case."""
        coordinator = new_test_user(
            self.env,
            "lco_plan_coordinator",
            groups="lco_module.group_lco_coordinator",
            name="Lotte Plan",
            tz="Europe/Brussels",
        )
        aid_worker = new_test_user(
            self.env,
            "lco_plan_aid_worker",
            groups="lco_module.group_lco_user",
            name="Pieter Tour",
        )
        client = self.env["res.partner"].create({"name": "Jonas Tour"})
        case = _case_with_pivot(coordinator, client, aid_worker)
        self.start_tour(
            f"/odoo/action-lco_module.action_lco_case/{case.id}",
            "lco_plan_meeting_tour",
            login="lco_plan_coordinator",
        )
        meeting = case.meeting_ids
        self.assertEqual(len(meeting), 1)
        self.assertEqual(meeting.state, "draft")
        self.assertEqual(
            meeting.attendee_ids.partner_id, client | aid_worker.partner_id
        )
