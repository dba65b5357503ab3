from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CASE_MODELS, LcoCommon

# A harmless change a user could make in each model of a case.
WRITE_VALUES = {
    "lco.case": {"goals": "Live on his own again"},
    "lco.participant": {"function": "Social worker"},
    "lco.meeting": {"location": "Town hall"},
    "lco.meeting.attendee": {"status": "confirmed"},
    "lco.agenda.item": {"summary": "Discussed with the client"},
    "lco.agreement": {"name": "Apply for rent support"},
    "lco.case.life.domain": {"priority": "high"},
}
CONFIGURATION_MODELS = ("lco.life.domain", "lco.close.reason")


@tagged("post_install", "-at_install")
class TestSecurity(LcoCommon):
    def assertSees(self, user, cases):
        """In every model ``user`` finds (and can open) exactly what belongs
        to ``cases``."""
        for model in CASE_MODELS:
            with self.subTest(user=user.login, model=model):
                found = self.env[model].with_user(user).search([])
                self.assertEqual(found, self._records_of(model, cases))
                found.read(["display_name", "company_id"])

    def assertCannotRead(self, user, cases):
        for model in CASE_MODELS:
            records = self._records_of(model, cases)
            self.assertTrue(records, f"no {model} to test with")
            with (
                self.subTest(user=user.login, model=model),
                self.assertRaises(AccessError),
            ):
                records.with_user(user).read(["company_id"])

    def assertCanWrite(self, user, cases):
        for model, values in WRITE_VALUES.items():
            with self.subTest(user=user.login, model=model):
                records = self._records_of(model, cases).with_user(user)
                records.write(values)
                self.assertRecordValues(records, [values] * len(records))

    def assertCannotWrite(self, user, cases):
        for model, values in WRITE_VALUES.items():
            records = self._records_of(model, cases)
            with (
                self.subTest(user=user.login, model=model),
                self.assertRaises(AccessError),
            ):
                records.with_user(user).write(values)

    # Aid worker

    def test_aid_worker_sees_his_cases(self):
        self.assertSees(self.aid_worker_a, self.case_a1)
        self.assertCannotRead(self.aid_worker_a, self.case_a2 | self.case_a3)
        self.assertSees(self.aid_worker_b, self.case_b1)
        self.assertCannotRead(self.aid_worker_b, self.case_a1)

    def test_former_participant_loses_access(self):
        self.assertSees(self.aid_worker2_a, self.case_a1)
        self._participant(self.case_a1, self.aid_worker2_a.partner_id).action_archive()
        self.assertSees(self.aid_worker2_a, self.env["lco.case"])
        self.assertCannotRead(self.aid_worker2_a, self.case_a1)

    def test_aid_worker_cannot_change_case(self):
        self.assertCannotWrite(self.aid_worker_a, self.case_a1)
        with self.assertRaises(AccessError):
            self.env["lco.case"].with_user(self.aid_worker_a).create(
                {
                    "client_id": self.client_a3.id,
                    "coordinator_id": self.coordinator_a.id,
                }
            )
        with self.assertRaises(AccessError):
            self._create_meeting(self.case_a1.with_user(self.aid_worker_a))
        with self.assertRaises(AccessError):
            self._participant(self.case_a1, self.aunt_a1).with_user(
                self.aid_worker_a
            ).unlink()

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

    # Coordinator

    def test_coordinator_sees_his_cases(self):
        self.assertSees(self.coordinator_a, self.case_a1 | self.case_a2)
        self.assertCannotRead(self.coordinator_a, self.case_a3)
        self.assertSees(self.coordinator2_a, self.case_a2 | self.case_a3)
        self.assertCannotRead(self.coordinator2_a, self.case_a1)
        self.assertSees(self.coordinator_b, self.case_b1)
        self.assertCannotRead(self.coordinator_b, self.case_a1 | self.case_a2)

    def test_coordinator_runs_only_his_cases(self):
        self.assertCanWrite(self.coordinator_a, self.case_a1)
        self.assertCannotWrite(self.coordinator_a, self.case_a2)
        meeting = self._create_meeting(self.case_a1.with_user(self.coordinator_a))
        self.assertEqual(meeting.number, 2)
        with self.assertRaises(AccessError):
            self._create_meeting(self.case_a2.with_user(self.coordinator_a))
        with self.assertRaises(AccessError):
            self.env["lco.participant"].with_user(self.coordinator_a).create(
                {"case_id": self.case_a2.id, "partner_id": self.aunt_a1.id}
            )

    def test_coordinator_cannot_close_case_he_takes_part_in(self):
        self.case_a2.action_activate()
        case = self.case_a2.with_user(self.coordinator_a)
        with self.assertRaises(AccessError):
            case.action_open_close_wizard()
        with self.assertRaises(AccessError):
            self.env["lco.case.close"].with_user(self.coordinator_a).with_context(
                default_case_ids=case.ids
            ).create({"close_reason_id": self.close_reason.id, "close_note": "Done"})
        self.assertEqual(self.case_a2.state, "active")

    def test_coordinator_stays_in_his_company(self):
        with self.assertRaises(AccessError):
            self.env["lco.case"].with_user(self.coordinator_a).create(
                {"company_id": self.company_b.id, "client_id": self.service.id}
            )
        case = (
            self.env["lco.case"]
            .with_user(self.coordinator_a)
            .create({"client_id": self.client_a3.id})
        )
        self.assertEqual(case.company_id, self.company_a)

    # Manager

    def test_manager_sees_his_organisation(self):
        cases_a = self.case_a1 | self.case_a2 | self.case_a3
        self.assertSees(self.manager_a, cases_a)
        self.assertCannotRead(self.manager_a, self.case_b1)
        self.assertCanWrite(self.manager_a, cases_a)
        self.assertSees(self.manager_b, self.case_b1)
        self.assertCannotRead(self.manager_b, cases_a)
        self.assertCannotWrite(self.manager_b, self.case_a1)

    def test_manager_in_two_organisations(self):
        """The company switcher decides what a manager of two organisations sees."""
        self.manager_b.company_ids |= self.company_a
        cases = self.env["lco.case"].with_user(self.manager_b)
        self.assertEqual(
            cases.with_context(allowed_company_ids=self.company_b.ids).search([]),
            self.case_b1,
        )
        self.assertEqual(
            cases.with_context(
                allowed_company_ids=(self.company_b | self.company_a).ids
            ).search([]),
            self.case_a1 | self.case_a2 | self.case_a3 | self.case_b1,
        )

    def test_manager_configures(self):
        for model in CONFIGURATION_MODELS:
            with self.subTest(model=model):
                record = (
                    self.env[model]
                    .with_user(self.manager_a)
                    .create({"name": "Language"})
                )
                record.name = "Language and Integration"
                self.assertEqual(record.name, "Language and Integration")

    def test_only_manager_configures(self):
        for user in self.coordinator_a | self.aid_worker_a:
            for model in CONFIGURATION_MODELS:
                with self.subTest(user=user.login, model=model):
                    configuration = self.env[model].with_user(user)
                    self.assertTrue(configuration.search([]))
                    with self.assertRaises(AccessError):
                        configuration.create({"name": "Language"})
                    with self.assertRaises(AccessError):
                        configuration.search([], limit=1).name = "Language"

    # Other users

    def test_employee_without_lco_group(self):
        for model in (*CASE_MODELS, *CONFIGURATION_MODELS):
            with (
                self.subTest(model=model),
                self.assertRaises(AccessError),
            ):
                self.env[model].with_user(self.employee_a).search([])
        with self.assertRaises(AccessError):
            self.case_a1.with_user(self.employee_a).read(["name"])
        with self.assertRaises(AccessError):
            self.env["lco.case"].with_user(self.employee_a).create(
                {
                    "client_id": self.client_a3.id,
                    "coordinator_id": self.coordinator_a.id,
                }
            )

    def test_participants_see_one_team(self):
        """Someone who takes part sees the whole team of his case, the pivot
        included, but none of the other cases' people."""
        participants = self.env["lco.participant"].with_user(self.aid_worker2_a)
        self.assertEqual(
            participants.search([("is_pivot", "=", True)]).partner_id,
            self.aid_worker_a.partner_id,
        )
        self.assertFalse(participants.search([("partner_id", "=", self.client_a2.id)]))
        self.case_a2.participant_ids = [
            Command.create({"partner_id": self.aid_worker2_a.partner_id.id})
        ]
        self.assertEqual(
            participants.search([("partner_id", "=", self.client_a2.id)]).case_id,
            self.case_a2,
        )
