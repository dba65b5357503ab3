from datetime import date, timedelta

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import LcoCommon


@tagged("post_install", "-at_install")
class TestBadInput(LcoCommon):
    """Values sent over RPC are checked before the database sees them."""

    def test_a_wrong_type_is_a_clear_message(self):
        Case = self.env["lco.case"].with_user(self.coordinator_a)
        with self.assertRaises(ValidationError):
            self.case_a1.with_user(self.coordinator_a).write({"coordinator_id": "abc"})
        with self.assertRaises(ValidationError):
            Case.create({"client_id": self.client_a1.id, "coordinator_id": "abc"})
        with self.assertRaises(ValidationError):
            Case.create({"client_id": self.client_a1.id, "company_id": "abc"})

    def test_text_takes_text_only_and_not_too_much(self):
        case = self.case_a1.with_user(self.coordinator_a)
        agreement = self.agreement_a1_aid_worker.with_user(self.coordinator_a)
        for value in (["a", "b"], {"a": 1}, True, ("a",)):
            with self.subTest(value=value):
                with self.assertRaises(ValidationError):
                    agreement.write({"name": value})
                with self.assertRaises(ValidationError):
                    case.write({"goals": value})
        with self.assertRaisesText(ValidationError, "100000"):
            case.write({"goals": "x" * 100_001})
        with self.assertRaises(ValidationError):
            agreement.write({"name": "x" * 1_001})
        case.write({"goals": "A home before winter. " * 1000})
        agreement.write({"name": "Apply for social housing, again"})
        self.assertEqual(agreement.name, "Apply for social housing, again")

    def test_dates_lie_in_a_sane_range(self):
        agreement = self.agreement_a1_aid_worker.with_user(self.coordinator_a)
        for value in ("0001-01-01", "2999-01-01", "not a date", ["2026-01-01"]):
            with self.subTest(value=value):
                with self.assertRaises(ValidationError):
                    agreement.write({"deadline": value})
        agreement.write({"deadline": self.today + timedelta(days=30)})

    def test_a_birth_date_is_real(self):
        client = self.client_a1.with_user(self.coordinator_a)
        tomorrow = self.today + timedelta(days=1)
        for value in ("0001-01-01", "1850-05-01", tomorrow, "abc"):
            with self.subTest(value=value):
                with self.assertRaises(ValidationError):
                    client.write({"lco_birthdate": value})
        with self.assertRaises(ValidationError):
            self.env["res.partner"].with_user(self.coordinator_a).create(
                {"name": "Someone", "lco_birthdate": "0001-01-01"}
            )
        client.write({"lco_birthdate": "1984-02-29"})
        self.assertEqual(self.client_a1.lco_birthdate, date(1984, 2, 29))

    def test_the_client_stays_at_his_own_table(self):
        client = self.case_a1.participant_ids.filtered(
            lambda participant: participant.partner_id == self.client_a1
        ).with_user(self.coordinator_a)
        self.assertEqual(client.role, "client")
        with self.assertRaisesText(UserError, "Kim Client is the client"):
            client.write({"active": False})
        with self.assertRaisesText(UserError, "Kim Client is the client"):
            client.action_archive()
        with self.assertRaisesText(UserError, "Kim Client is the client"):
            client.unlink()
        self.assertTrue(client.active)
        # The others come and go.
        aunt = self.case_a1.participant_ids.filtered(
            lambda participant: participant.partner_id == self.aunt_a1
        )
        aunt.with_user(self.coordinator_a).action_archive()
        self.assertFalse(aunt.active)
