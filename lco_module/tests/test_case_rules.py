from datetime import timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CASE_MODELS, LcoCommon


@tagged("post_install", "-at_install")
class TestCaseRules(LcoCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pivot = cls._participant(cls.case_a1, cls.aid_worker_a.partner_id)
        cls.other_worker = cls._participant(cls.case_a1, cls.aid_worker2_a.partner_id)
        cls.aunt = cls._participant(cls.case_a1, cls.aunt_a1)
        cls.client = cls._participant(cls.case_a1, cls.client_a1)

    # Neutral coordinator

    def test_coordinator_cannot_take_part(self):
        with self.assertRaisesText(ValidationError, "cannot also take part"):
            self.env["lco.participant"].create(
                {
                    "case_id": self.case_a1.id,
                    "partner_id": self.coordinator_a.partner_id.id,
                }
            )

    def test_coordinator_cannot_take_part_when_creating_case(self):
        with self.assertRaises(ValidationError):
            self.env["lco.case"].with_user(self.coordinator_a).create(
                {
                    "client_id": self.client_a3.id,
                    "participant_ids": [
                        Command.create({"partner_id": self.coordinator_a.partner_id.id})
                    ],
                }
            )

    def test_participant_cannot_become_coordinator(self):
        self.aid_worker2_a.groups_id = [
            Command.link(self.env.ref("lco_module.group_lco_coordinator").id)
        ]
        with self.assertRaisesText(ValidationError, "cannot also coordinate"):
            self.case_a1.coordinator_id = self.aid_worker2_a

    def test_archived_participant_cannot_become_coordinator(self):
        self.other_worker.action_archive()
        with self.assertRaises(ValidationError):
            self.case_a1.coordinator_id = self.aid_worker2_a

    def test_other_coordinator_accepted(self):
        self.case_a1.coordinator_id = self.coordinator2_a
        self.assertEqual(self.meeting_a1.chair_id, self.coordinator2_a)

    # Pivot figure

    def test_single_pivot(self):
        self.assertEqual(self.case_a1.pivot_id, self.pivot)
        self.assertEqual(
            self.case_a1.participant_ids.filtered("is_pivot"),
            self.pivot,
        )
        self.case_a1.pivot_id = self.other_worker
        self.assertEqual(
            self.case_a1.participant_ids.filtered("is_pivot"),
            self.other_worker,
        )
        self.assertFalse(self.pivot.is_pivot)

    def test_pivot_roles(self):
        case = self.case_a3
        case.participant_ids = [
            Command.create({"partner_id": self.aunt_a1.id, "role": "trusted_person"}),
            Command.create({"partner_id": self.external_worker.id, "role": "network"}),
            Command.create(
                {"partner_id": self.aid_worker_a.partner_id.id, "role": "interpreter"}
            ),
        ]
        for partner in (
            self.client_a3 | self.external_worker | self.aid_worker_a.partner_id
        ):
            with self.subTest(role=self._participant(case, partner).role):
                with self.assertRaisesText(ValidationError, "cannot be the pivot"):
                    case.pivot_id = self._participant(case, partner)
        case.pivot_id = self._participant(case, self.aunt_a1)
        self.assertTrue(case.pivot_id.is_pivot)

    def test_pivot_of_other_case_refused(self):
        with self.assertRaisesText(ValidationError, "must be one of its participants"):
            self.case_a3.pivot_id = self.pivot

    def test_pivot_role_cannot_change(self):
        with self.assertRaisesText(ValidationError, "choose another pivot figure"):
            self.pivot.role = "network"
        self.pivot.role = "trusted_person"
        self.assertTrue(self.pivot.is_pivot)

    def test_pivot_cannot_be_archived(self):
        with self.assertRaisesText(ValidationError, "choose another pivot figure"):
            self.pivot.action_archive()

    def test_pivot_cannot_be_deleted(self):
        with self.assertRaisesText(UserError, "choose another pivot figure"):
            self.pivot.unlink()

    def test_former_pivot_can_leave(self):
        self.case_a1.pivot_id = self.other_worker
        self.pivot.action_archive()
        self.assertFalse(self.pivot.active)
        self.assertEqual(
            self.case_a1.participant_ids.filtered("is_pivot"), self.other_worker
        )

    def test_active_case_needs_pivot(self):
        with self.assertRaisesText(ValidationError, "needs a pivot figure"):
            self.case_a1.pivot_id = False

    def test_draft_case_without_pivot(self):
        self.case_a3.pivot_id = False
        self.assertEqual(self.case_a3.state, "draft")

    def test_activate_needs_pivot(self):
        with self.assertRaisesText(UserError, "without a pivot figure"):
            self.case_a3.action_activate()
        self.assertEqual(self.case_a3.state, "draft")

    def test_activate_needs_consent(self):
        self.case_a2.consent_id.action_withdraw()
        self.assertFalse(self.case_a2.has_consent)
        with self.assertRaisesText(UserError, "without the client's consent"):
            self.case_a2.action_activate()
        self.assertEqual(self.case_a2.state, "draft")

    # Everything in a case comes from its own participants

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

    @mute_logger("odoo.sql_db")
    def test_person_takes_part_once(self):
        with self.assertRaises(IntegrityError):
            self.env["lco.participant"].create(
                {"case_id": self.case_a1.id, "partner_id": self.aunt_a1.id}
            )
            self.env.flush_all()

    def test_meeting_ends_after_start(self):
        with self.assertRaisesText(ValidationError, "cannot end before it starts"):
            self.meeting_a1.stop = self.meeting_a1.start - timedelta(hours=1)

    def test_case_with_held_meeting_not_deleted(self):
        self.meeting_a1.with_context(lco_schedule_confirmed=True).action_schedule()
        self.meeting_a1.attendee_ids.status = "present"
        with freeze_time(self.meeting_a1.start + timedelta(minutes=5)):
            self.meeting_a1.action_hold()
        with self.assertRaisesText(UserError, "close or cancel it"):
            self.case_a1.unlink()
        self.assertTrue(self.case_a1.exists())

    def test_delete_case_in_preparation(self):
        """Deleting a case deletes everything in it, agenda and attendance too."""
        self.assertTrue(self._records_of("lco.agenda.item", self.case_a3))
        self.case_a3.unlink()
        for model in CASE_MODELS:
            with self.subTest(model=model):
                self.assertFalse(self._records_of(model, self.case_a3))

    # Company consistency

    def test_client_of_other_company(self):
        with self.assertRaisesText(UserError, "Incompatible companies"):
            self.env["lco.case"].create(
                {
                    "company_id": self.company_a.id,
                    "coordinator_id": self.coordinator_a.id,
                    "client_id": self.client_b1.id,
                }
            )

    def test_coordinator_of_other_company(self):
        with self.assertRaisesText(UserError, "Incompatible companies"):
            self.case_a3.coordinator_id = self.coordinator_b

    def test_participant_of_other_company(self):
        with self.assertRaisesText(UserError, "Incompatible companies"):
            self.env["lco.participant"].create(
                {"case_id": self.case_a1.id, "partner_id": self.client_b1.id}
            )

    def test_meeting_of_case_of_other_company(self):
        with self.assertRaisesText(UserError, "Incompatible companies"):
            self.env["lco.agreement"].create(
                {
                    "case_id": self.case_a1.id,
                    "name": "Call the landlord",
                    "responsible_id": self.client.id,
                    "meeting_id": self.case_b1.meeting_ids.id,
                }
            )

    def test_global_partner_in_any_company(self):
        participant = self.env["lco.participant"].create(
            {"case_id": self.case_b1.id, "partner_id": self.external_worker.id}
        )
        self.assertEqual(participant.company_id, self.company_b)
        self.assertEqual(participant.organisation_id, self.service)
        self.assertEqual(participant.function, "Housing counsellor")
