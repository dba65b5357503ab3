from datetime import timedelta

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import LcoCommon

NOTE = "The family has a home and feels supported."


@tagged("post_install", "-at_install")
class TestClosingACase(LcoCommon):
    """Closing a case closes its work (issue 22, item 1): its open agreements
    end with the closing note, their to-dos close, reminders stop, and the
    case, its meetings and agreements are read-only; it is never reopened."""

    def test_closing_ends_the_open_agreements_and_their_to_dos(self):
        agreement = self.agreement_a1_aid_worker.with_user(self.aid_worker_a)
        self.assertEqual(agreement.state, "open")
        self.assertTrue(
            self.env["mail.activity"]
            .with_user(self.aid_worker_a)
            .search([("user_id", "=", self.aid_worker_a.id)])
        )

        self._close_with_wizard(self.case_a1, self.coordinator_a, note=NOTE)

        agreements = self.case_a1.agreement_ids
        self.assertEqual(set(agreements.mapped("state")), {"case_closed"})
        self.assertEqual(set(agreements.mapped("outcome_note")), {NOTE})
        self.assertFalse(agreements.activity_ids)
        # "Mijn afspraken" of the aid worker: nothing left to do.
        self.assertFalse(
            self.env["mail.activity"]
            .with_user(self.aid_worker_a)
            .search([("user_id", "=", self.aid_worker_a.id)])
        )
        self.assertEqual(agreement.state, "case_closed")

    def test_no_reminders_for_a_closed_case(self):
        self._close_with_wizard(self.case_a1, self.coordinator_a)
        # An agreement left open (closed before closing ended the work).
        agreement = self.agreement_a1_external
        agreement.write({"state": "open", "deadline": self.today + timedelta(days=1)})
        agreement.reminder_sent = False
        self.company_a.lco_agreement_reminder_days = 3

        self.env["lco.agreement"]._cron_send_reminders()

        self.assertFalse(agreement.reminder_sent)

    def test_closed_case_meetings_and_agreements_are_read_only(self):
        self._close_with_wizard(self.case_a1, self.coordinator_a)
        case = self.case_a1.with_user(self.coordinator_a)
        with self.assertRaisesText(UserError, "is closed"):
            case.question = "Another question"
        with self.assertRaisesText(UserError, "is closed"):
            case.meeting_ids.location = "Elsewhere"
        with self.assertRaisesText(UserError, "is closed"):
            case.agreement_ids[:1].name = "Something else"
        with self.assertRaises(UserError):
            self._create_meeting(case)
        with self.assertRaisesText(UserError, "is closed"):
            self.env["lco.agreement"].with_user(self.coordinator_a).create(
                {
                    "case_id": case.id,
                    "name": "One more thing",
                    "responsible_id": case.pivot_id.id,
                }
            )
        # Nor does closing reopen: the case stays closed.
        with self.assertRaises(UserError):
            case.action_reset_draft()
        # The aid worker reports nothing on an agreement of a closed case.
        mine = self.agreement_a1_aid_worker.with_user(self.aid_worker_a)
        with self.assertRaisesText(UserError, "is closed"):
            mine.write({"state": "done", "outcome_note": "Done after all."})
        # Only the superuser (data files, anonymisation) still writes.
        self.case_a1.question = "Corrected by the administrator"
        self.assertEqual(self.case_a1.state, "closed")

    def test_anonymised_case_counts_no_open_agreements(self):
        case = self.case_a3.with_user(self.coordinator2_a)
        case.action_cancel()
        self.assertEqual(case.open_agreement_count, 1)
        self.case_a3.with_user(self.manager_a)._lco_anonymise()
        self.case_a3.invalidate_recordset()
        self.assertEqual(case.open_agreement_count, 0)
        self.assertEqual(case.overdue_agreement_count, 0)
