from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from .common import LcoCommon


@tagged("post_install", "-at_install")
class TestConsentIsRecordedByItsActions(LcoCommon):
    """Issue 18, finding 4: a consent is created requested and given,
    withdrawn and replaced only by its actions, with dates that hold."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.coordinator_a.lang = "en_US"
        cls.given = cls.case_a1.consent_id
        cls.Consent = cls.env["lco.consent"].with_user(cls.coordinator_a)

    def requested(self, case=None, **values):
        case = (case or self.case_a1).with_user(self.coordinator_a)
        consent = self.Consent.browse(case.action_new_consent()["res_id"])
        if values:
            consent.write(values)
        return consent

    def test_a_consent_is_created_requested(self):
        for state in ("given", "withdrawn", "expired"):
            with self.assertRaisesText(UserError, "cannot be changed directly"):
                self.Consent.create(
                    {"case_id": self.case_a1.id, "state": state, "method": "verbal"}
                )
        # Nor through a default in the context, which the caller sets.
        consent = self.Consent.with_context(default_state="given").create(
            {"case_id": self.case_a1.id, "date_given": self.today}
        )
        self.assertEqual(consent.state, "requested")
        self.assertEqual(self.case_a1.consent_id, self.given)
        with self.assertRaises(AccessError):
            self.env["lco.consent"].with_user(self.aid_worker_a).create(
                {"case_id": self.case_a1.id, "state": "given"}
            )

    def test_history_is_written_by_the_actions_only(self):
        other_case_consent = self.case_a2.consent_id
        for consent in (self.given, self.requested()):
            for values in (
                {"withdrawn_by_id": self.coordinator_a.id},
                {"withdrawn_date": self.today},
                {"replaced_by_id": other_case_consent.id},
                {"expiry_warned": True},
                {"state": "given"},
            ):
                with self.assertRaises(UserError, msg=f"{consent.state} {values}"):
                    consent.with_user(self.coordinator_a).write(values)
        self.env.invalidate_all()
        self.assertEqual(self.given.state, "given")
        self.assertFalse(self.given.withdrawn_by_id or self.given.withdrawn_date)
        self.assertFalse(self.given.replaced_by_id)
        # The actions still record them.
        self.given.with_user(self.coordinator_a).action_withdraw()
        self.assertEqual(self.given.withdrawn_by_id, self.coordinator_a)
        self.assertEqual(self.given.withdrawn_date, self.today)

    def test_dates_hold(self):
        consent = self.requested()
        for day in (date(2099, 1, 1), date(1900, 1, 1), date(1990, 1, 1)):
            with self.assertRaises(ValidationError, msg=str(day)):
                consent.date_given = day
        self.assertFalse(consent.date_given)
        self.company_a.lco_consent_validity_months = 12
        consent.date_given = self.today
        with self.assertRaisesText(ValidationError, "at most 12 months"):
            consent.valid_until = self.today + relativedelta(months=12, days=1)
        with self.assertRaisesText(ValidationError, "end before it was given"):
            consent.valid_until = self.today
        consent.valid_until = self.today + relativedelta(months=12)
        consent.action_give()
        self.assertEqual(self.case_a1.consent_id, consent)

    def test_a_consent_dated_in_the_future_is_not_current(self):
        consent = self.requested()
        with self.assertRaises(ValidationError):
            consent.write(
                {
                    "date_given": date(2099, 1, 1),
                    "valid_until": date(2099, 6, 1),
                }
            )
        with self.assertRaises(ValidationError):
            consent.action_give()
        self.assertEqual(self.case_a1.consent_id, self.given)

    def test_one_given_consent_per_case_on_every_path(self):
        # Not even code in superuser mode gives a second one beside it...
        with self.assertRaisesText(ValidationError, "one given consent at a time"):
            self.env["lco.consent"].create(
                {"case_id": self.case_a1.id, "date_given": self.today, "state": "given"}
            )
        # ... nor one without its day or witness.
        with self.assertRaisesText(ValidationError, "Record the day"):
            self.case_a3.consent_id.sudo().write({"date_given": False})
        verbal = self.requested(method="verbal", date_given=self.today)
        with self.assertRaisesText(ValidationError, "witness"):
            verbal.sudo()._lco_action_write({"state": "given"})
        # Giving replaces the consent given before.
        new = self.requested(date_given=self.today)
        new.action_give()
        given = self.case_a1.consent_ids.filtered(lambda c: c.state == "given")
        self.assertEqual(given, new)
        self.assertEqual(self.given.state, "expired")
        self.assertEqual(self.given.replaced_by_id, new)

    def test_portal_method_is_not_written_by_the_coordinator(self):
        with self.assertRaisesText(UserError, "cannot be changed directly"):
            self.Consent.create({"case_id": self.case_a1.id, "method": "portal"})
        consent = self.requested()
        with self.assertRaisesText(UserError, "cannot be changed directly"):
            consent.write({"method": "portal", "date_given": self.today})
        with self.assertRaisesText(UserError, "cannot be changed directly"):
            self.Consent.with_context(default_method="portal").create(
                {"case_id": self.case_a1.id, "method": "portal"}
            )
        # "Migrated" is what an upgrade writes, never a user.
        with self.assertRaisesText(UserError, "cannot be changed directly"):
            consent.write({"method": "migrated", "date_given": "2000-01-01"})
        consent.write({"method": "signed", "date_given": self.today})
        self.assertEqual(consent.method, "signed")


@tagged("post_install", "-at_install")
class TestFieldsOfRecord(LcoCommon):
    """Issue 18: the other models' fields of record are written by their own
    steps only, as the coordinator would try it over RPC."""

    def test_closing_date_is_the_day_of_closing(self):
        case = self.case_a1.with_user(self.coordinator_a)
        with self.assertRaisesText(UserError, "cannot be changed directly"):
            case.write(
                {
                    "state": "closed",
                    "close_reason_id": self.close_reason.id,
                    "close_note": "Done.",
                    "date_closed": "1990-01-01",
                }
            )
        with self.assertRaisesText(UserError, "cannot be changed directly"):
            self.case_a3.with_user(self.coordinator2_a).write(
                {"date_closed": self.today}
            )
        self._close_with_wizard(self.case_a1, self.coordinator_a)
        self.assertEqual(self.case_a1.date_closed, self.today)

    def test_reminder_flag_is_the_cron_s(self):
        agreement = self.agreement_a1_external.with_user(self.coordinator_a)
        with self.assertRaisesText(UserError, "cannot be changed directly"):
            agreement.write({"reminder_sent": True})
        self.agreement_a1_external.sudo().reminder_sent = True
        agreement.deadline = self.today + timedelta(days=20)
        self.assertFalse(agreement.reminder_sent, "a new deadline, a new reminder")

    def test_portal_acknowledgement_is_the_person_s(self):
        participant = self._participant(self.case_a1, self.external_worker)
        participant = participant.with_user(self.coordinator_a)
        with self.assertRaisesText(UserError, "cannot be changed directly"):
            participant.write(
                {
                    "confidentiality_ack_date": self.today,
                    "confidentiality_ack_method": "portal",
                }
            )
        participant.write(
            {
                "confidentiality_ack_date": self.today,
                "confidentiality_ack_method": "signed_list",
            }
        )
        self.assertEqual(participant.confidentiality_ack_method, "signed_list")

    def test_meeting_gets_no_calendar_event_from_the_context(self):
        other = self.env["calendar.event"].create({"name": "Elsewhere"})
        meeting = (
            self.env["lco.meeting"]
            .with_user(self.coordinator_a)
            .with_context(default_calendar_event_id=other.id, default_number=99)
            .create(
                {
                    "case_id": self.case_a1.id,
                    "start": self.meeting_a1.start + timedelta(days=14),
                }
            )
        )
        self.assertFalse(meeting.calendar_event_id)
        self.assertEqual(meeting.number, 2)


@tagged("post_install", "-at_install")
class TestConsentOverRpc(LcoCommon, HttpCase):
    """Finding 4 as it was found: the coordinator over JSON-RPC."""

    def call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs},
        )

    def test_coordinator_cannot_forge_consent(self):
        self.authenticate(self.coordinator_a.login, self.coordinator_a.login)
        given = self.case_a1.consent_id
        for args in (
            [{"case_id": self.case_a1.id, "state": "given", "method": "verbal"}],
            [{"case_id": self.case_a1.id, "state": "withdrawn"}],
            [{"case_id": self.case_a1.id, "method": "portal"}],
            [{"case_id": self.case_a1.id, "date_given": "2099-01-01"}],
        ):
            with self.assertRaises(JsonRpcException, msg=str(args)):
                self.call("lco.consent", "create", *args)
        for values in (
            {"withdrawn_by_id": self.coordinator_a.id, "withdrawn_date": "2026-01-01"},
            {"replaced_by_id": self.case_a2.consent_id.id},
        ):
            with self.assertRaises(JsonRpcException, msg=str(values)):
                self.call("lco.consent", "write", given.ids, values)
        self.env.invalidate_all()
        self.assertEqual(
            self.case_a1.consent_ids.filtered(lambda c: c.state != "requested"), given
        )
        self.assertFalse(given.withdrawn_by_id or given.replaced_by_id)
