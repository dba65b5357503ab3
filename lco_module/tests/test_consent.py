from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common_meeting import LcoMeetingCommon

WORK_PLAN_TITLE = "Work plan of the local client consultation"
FULL_TITLE = "Report of the local client consultation"


@tagged("post_install", "-at_install")
class TestConsent(LcoMeetingCommon):
    """Issue 10: consent as records of their own, and what follows from them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.coordinator_a.lang = "en_US"
        cls.consent = cls.case_a1.consent_id

    def new_consent(self, case=None, **values):
        case = (case or self.case_a1).with_user(self.coordinator_a)
        action = case.action_new_consent()
        consent = self.env["lco.consent"].with_user(self.coordinator_a)
        consent = consent.browse(action["res_id"])
        consent.write({"date_given": self.today, **values})
        return consent

    def add_participant(self, partner, role="professional"):
        return (
            self.env["lco.participant"]
            .with_user(self.coordinator_a)
            .create(
                {"case_id": self.case_a1.id, "partner_id": partner.id, "role": role}
            )
        )

    def scheduled_meeting(self):
        meeting = self.create_meeting()
        self.prepare(meeting)
        meeting.action_schedule()
        return meeting

    # The record ---------------------------------------------------------------

    def test_a_given_consent_is_not_edited_nor_deleted(self):
        consent = self.consent.with_user(self.coordinator_a)
        self.assertEqual(consent.state, "given")
        with self.assertRaisesText(UserError, "record a new consent"):
            consent.note = "Everything, with everyone"
        with self.assertRaisesText(UserError, "record a new consent"):
            consent.line_ids[:1].scope = "work_plan"
        with self.assertRaisesText(UserError, "record a new consent"):
            consent.write({"state": "requested"})
        for user in (self.coordinator_a, self.manager_a):
            with self.assertRaises(AccessError):
                self.consent.with_user(user).unlink()
        with self.assertRaisesText(UserError, "withdraw a consent instead"):
            self.consent.unlink()

    def test_a_new_consent_replaces_the_given_one(self):
        new = self.new_consent()
        self.assertEqual(new.state, "requested")
        self.assertEqual(
            new.line_ids.participant_id,
            self.case_a1.participant_ids.filtered(lambda p: p.role != "client"),
        )
        new.line_ids.filtered(
            lambda line: line.partner_id == self.aunt_a1
        ).scope = "work_plan"
        new.action_give()
        self.assertEqual(self.case_a1.consent_id, new)
        self.assertEqual(self.consent.state, "expired")
        self.assertEqual(self.consent.replaced_by_id, new)
        self.assertEqual(
            self.case_a1._report_scopes(self.aunt_a1), {self.aunt_a1: "work_plan"}
        )
        self.assertEqual(self.case_a1.consent_ids, self.consent | new, "history stays")

    def test_validity_comes_from_the_organisation(self):
        self.company_a.lco_consent_validity_months = 6
        new = self.new_consent()
        new.action_give()
        self.assertEqual(new.valid_until, self.today + relativedelta(months=6))

    def test_representative_and_witness_are_named(self):
        with self.assertRaisesText(ValidationError, "capacity"):
            self.new_consent(given_by="representative")
        consent = self.new_consent(
            given_by="representative",
            representative_id=self.aunt_a1.id,
            representative_capacity="guardian",
            method="verbal",
        )
        with self.assertRaisesText(UserError, "witness"):
            consent.action_give()
        consent.witness_id = self.aid_worker2_a.partner_id
        consent.action_give()
        self.assertEqual(consent.state, "given")

    def test_aid_worker_reads_but_does_not_record_consent(self):
        consent = self.consent.with_user(self.aid_worker_a)
        self.assertEqual(consent.state, "given")
        with self.assertRaises(AccessError):
            consent.action_withdraw()
        with self.assertRaises(AccessError):
            self.case_a1.with_user(self.aid_worker_a).action_new_consent()
        with self.assertRaises(AccessError):
            self.env["lco.consent"].with_user(self.aid_worker_a).create(
                {"case_id": self.case_a1.id}
            )

    def test_other_organisation_sees_no_consent(self):
        Consent = self.env["lco.consent"].with_user(self.coordinator_b)
        self.assertFalse(Consent.search([("case_id", "=", self.case_a1.id)]))
        with self.assertRaises(AccessError):
            self.consent.with_user(self.coordinator_b).read(["note"])
        with self.assertRaises(AccessError):
            self.consent.with_user(self.outsider).read(["note"])

    def test_consent_form_prints_who_receives_what(self):
        new = self.new_consent()
        new.line_ids.filtered(
            lambda line: line.partner_id == self.aunt_a1
        ).scope = "work_plan"
        html = (
            self.env["ir.actions.report"]
            .with_user(self.coordinator_a)
            ._render_qweb_html("lco_module.action_report_lco_consent_form", new.ids)[0]
            .decode()
        )
        self.assertIn("Rita Aunt", html)
        self.assertIn(
            "Enkel het werkplan", html, "the client (Dutch) reads what each receives"
        )
        self.assertIn("Volledig verslag", html)

    # What follows from it -----------------------------------------------------

    def test_no_meeting_is_scheduled_without_consent(self):
        self.consent.with_user(self.coordinator_a).action_withdraw()
        meeting = self.create_meeting()
        self.prepare(meeting)
        with self.assertRaisesText(UserError, "without the client's consent"):
            meeting.with_context(lco_schedule_confirmed=True).action_schedule()
        self.company_a.lco_consent_warn_only = True
        meeting.with_context(lco_schedule_confirmed=True).action_schedule()
        self.assertEqual(meeting.state, "scheduled")

    def test_a_participant_added_later_is_not_covered(self):
        newcomer = self.env["res.partner"].create(
            {"name": "Nina Newcomer", "email": "nina@school.example"}
        )
        participant = self.add_participant(newcomer)
        self.assertIn(participant, self.case_a1.uncovered_participant_ids)
        meeting = self.create_meeting()
        self.assertIn(participant, meeting.attendee_ids.participant_id)
        self.prepare(meeting)
        meeting.action_schedule()
        self.assertNotIn(newcomer, meeting.calendar_event_id.partner_ids)
        self.assertIn(self.external_worker, meeting.calendar_event_id.partner_ids)
        self.assertNotIn(str(newcomer.id), meeting._get_report_recipients().split(","))

        # A new consent covers him: he is invited.
        new = self.new_consent()
        self.assertIn(participant, new.line_ids.participant_id)
        new.action_give()
        self.assertFalse(self.case_a1.uncovered_participant_ids)
        self.assertIn(newcomer, meeting.calendar_event_id.partner_ids)

    def test_each_recipient_gets_the_version_his_consent_allows(self):
        meeting = self.create_meeting(days=-1)
        self.prepare(meeting)
        meeting.action_schedule()
        self.hold(meeting)
        meeting.attendee_ids.partner_id.with_env(self.env).lang = "nl_BE"
        self.aid_worker2_a.partner_id.with_env(self.env).lang = "en_US"
        new = self.new_consent()
        new.line_ids.filtered(
            lambda line: line.partner_id == self.external_worker
        ).scope = "work_plan"
        new.action_give()
        # The aid worker who did not acknowledge the secrecy rules: work plan.
        self.participant(self.aid_worker_a.partner_id).confidentiality_ack_date = False

        action = meeting.with_user(self.coordinator_a).action_send_report()
        composer = (
            self.env["mail.compose.message"]
            .with_user(self.coordinator_a)
            .with_context(**action["context"])
            .create({})
        )
        note = composer.lco_language_note
        self.assertIn(
            "Ann External — Dutch (BE) / Nederlands (BE), work plan only", note
        )
        self.assertIn(
            "Aid Worker A — Dutch (BE) / Nederlands (BE), work plan only", note
        )
        self.assertIn("Aid Worker2 A — English (US), full report", note)
        composer.action_send_mail()

        sent = meeting.message_ids.filtered(lambda m: m.message_type == "comment")
        by_partner = {p: m for m in sent for p in m.partner_ids}
        work_plan = by_partner[self.external_worker]
        self.assertEqual(
            work_plan.partner_ids, self.external_worker | self.aid_worker_a.partner_id
        )
        self.assertIn(
            "Werkplan van het lokaal cliëntoverleg",
            work_plan.attachment_ids.raw.decode(),
        )
        self.assertNotIn(
            "Verslag van het lokaal", work_plan.attachment_ids.raw.decode()
        )
        english = by_partner[self.aid_worker2_a.partner_id]
        self.assertIn(FULL_TITLE, english.attachment_ids.raw.decode())

    def test_paper_copies_follow_the_consent(self):
        meeting = self.create_meeting(days=-1)
        self.prepare(meeting)
        meeting.action_schedule()
        self.hold(meeting)
        nobody = self.env["res.partner"].create({"name": "Paul Uncovered"})
        self.add_participant(nobody, role="network")
        meeting.attendee_ids = [
            Command.create({"participant_id": self.participant(nobody).id})
        ]
        new = self.new_consent()
        new.line_ids.filtered(lambda line: line.partner_id == nobody).unlink()
        new.line_ids.filtered(
            lambda line: line.partner_id == self.aunt_a1
        ).scope = "work_plan"
        new.action_give()
        paper = meeting.paper_attendee_ids
        self.assertEqual(paper.partner_id, self.client_a1 | self.aunt_a1)
        Report = self.env["ir.actions.report"].with_user(self.coordinator_a)
        copies = {
            attendee.partner_id: Report._render_qweb_html(
                "lco_module.action_report_lco_meeting_copy", attendee.ids
            )[0].decode()
            for attendee in paper
        }
        self.assertIn("Find a home", copies[self.client_a1], "the client's question")
        self.assertNotIn("Find a home", copies[self.aunt_a1])
        self.assertRegex(copies[self.aunt_a1], "Work plan|Werkplan")

    def test_withdrawal_stops_everything_but_the_client(self):
        meeting = self.scheduled_meeting()
        agreement = self.agreement_a1_aid_worker
        self.assertTrue(agreement.activity_ids, "the aid worker has his agreement")
        self.consent.with_user(self.manager_a).action_withdraw()

        self.assertEqual(self.consent.state, "withdrawn")
        self.assertEqual(self.consent.withdrawn_by_id, self.manager_a)
        self.assertEqual(self.consent.withdrawn_date, self.today)
        self.assertFalse(self.case_a1.has_consent)
        self.assertFalse(agreement.activity_ids, "others' activities are cancelled")
        self.assertEqual(
            meeting.calendar_event_id.partner_ids,
            self.client_a1 | self.coordinator_a.partner_id,
            "only the client (and the chair) stay invited",
        )
        self.assertEqual(
            self.case_a1._report_scopes(self.external_worker | self.client_a1),
            {self.external_worker: False, self.client_a1: "full"},
        )
        told = self.case_a1.activity_ids.filtered(
            lambda a: a.user_id == self.coordinator_a
        )
        self.assertIn("withdrew", told.summary)
        with self.assertRaisesText(UserError, "Only a given consent"):
            self.consent.with_user(self.coordinator_a).action_withdraw()

    def test_cron_expires_and_warns_a_month_ahead(self):
        ending = self.consent
        ending.sudo().valid_until = self.today + timedelta(days=20)
        other = self.case_a2.consent_id
        other.sudo().write(
            {
                "date_given": self.today - timedelta(days=40),
                "valid_until": self.today - timedelta(days=1),
            }
        )
        Consent = self.env["lco.consent"]
        Consent._cron_expire()
        self.assertEqual(other.state, "expired")
        self.assertFalse(self.case_a2.has_consent)
        self.assertEqual(ending.state, "given")
        warning = ending.activity_ids
        self.assertEqual(warning.user_id, self.coordinator_a)
        self.assertEqual(warning.date_deadline, ending.valid_until)
        Consent._cron_expire()
        self.assertEqual(len(ending.activity_ids), 1, "warned once")


@tagged("post_install", "-at_install")
class TestLegalBasis(LcoMeetingCommon):
    """Issue 10: each case records its legal basis for sharing, shown on the
    report and the case overview."""

    def test_case_consultation_names_its_protocol(self):
        case = self.case_a1.with_user(self.coordinator_a)
        self.assertEqual(case.legal_basis, "consent")
        with self.assertRaisesText(ValidationError, "names the protocol"):
            case.legal_basis = "case_consultation"
        case.write(
            {
                "legal_basis": "case_consultation",
                "legal_basis_reference": "Protocol Heidebeek 2026/3",
            }
        )
        Report = self.env["ir.actions.report"].with_user(self.coordinator_a)
        for report, records in (
            ("lco_module.action_report_lco_meeting", self.meeting_a1),
            ("lco_module.action_report_lco_case_overview", self.case_a1),
        ):
            html = Report._render_qweb_html(report, records.ids)[0].decode()
            self.assertIn("Protocol Heidebeek 2026/3", html)
            self.assertIn("458ter", html)


@tagged("post_install", "-at_install")
class TestConsentOtherOrganisation(LcoMeetingCommon):
    """Issue 10: the consent of a case is given and withdrawn only in its own
    organisation; a meeting's double-booking warning tells no more than who is
    busy."""

    def test_other_organisation_neither_gives_nor_withdraws(self):
        given = self.case_a1.consent_id
        requested = self.env["lco.consent"].browse(
            self.case_a1.with_user(self.coordinator_a).action_new_consent()["res_id"]
        )
        requested.date_given = self.today
        for consent, action in (
            (given, "action_withdraw"),
            (requested, "action_give"),
        ):
            with self.assertRaises(AccessError):
                getattr(consent.with_user(self.coordinator_b), action)()
        self.env.invalidate_all()
        self.assertEqual(given.state, "given")
        self.assertFalse(given.withdrawn_by_id or given.withdrawn_date)
        self.assertEqual(requested.state, "requested")
        self.assertEqual(self.case_a1.consent_id, given)
        self.assertTrue(self.case_a1.has_consent)

    def test_double_booking_tells_nothing_of_the_other_meeting(self):
        # Coordinator A chairs a meeting of case A1 (Kim); coordinator 2 A plans
        # one of case A2 at the same time, where coordinator A is the pivot.
        meeting = self.create_meeting(days=3, location="Kim's kitchen, Heidestraat 14")
        other = (
            self.env["lco.meeting"]
            .with_user(self.coordinator2_a)
            .create({"case_id": self.case_a2.id, "start": meeting.start})
        )
        with self.assertRaises(AccessError):
            meeting.with_user(self.coordinator2_a).read(["case_id"])
        warning = other.with_user(self.coordinator2_a).double_booking
        self.assertIn(self.coordinator_a.name, warning)
        for detail in (
            self.client_a1.name,
            self.case_a1.name,
            "Heidestraat",
            str(meeting.number),
        ):
            self.assertNotIn(detail, warning)
