from datetime import timedelta

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common_meeting import LcoMeetingCommon
from .common_request import LcoRequestCommon

WORK_PLAN = "lco_module.action_report_lco_work_plan"
MEETING_REPORT = "lco_module.action_report_lco_meeting"


@tagged("post_install", "-at_install")
class TestYouthCare(LcoMeetingCommon):
    """A youth-care client consultation beside the local one: its names, its
    roles, consent by age and the endorsement of the work plan, as the
    coordinator, the aid workers and the young person do it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.girl = Partner.create(
            {
                "name": "Lotte Youth",
                "company_id": cls.company_a.id,
                "lco_birthdate": cls.today - relativedelta(years=15, days=10),
                "lang": "nl_BE",
            }
        )
        cls.mother = Partner.create(
            {"name": "Els Mother", "company_id": cls.company_a.id}
        )
        cls.youth = (
            cls.env["lco.case"]
            .with_user(cls.coordinator_a)
            .create(
                {
                    "company_id": cls.company_a.id,
                    "coordinator_id": cls.coordinator_a.id,
                    "client_id": cls.girl.id,
                    "kind": "youth",
                    "question": "Go back to school",
                    "participant_ids": [
                        Command.create({"partner_id": cls.mother.id, "role": "parent"}),
                        Command.create(
                            {
                                "partner_id": cls.aid_worker_a.partner_id.id,
                                "role": "professional",
                                "confidentiality_ack_date": cls.today,
                            }
                        ),
                        Command.create(
                            {
                                "partner_id": cls.external_worker.id,
                                "role": "professional",
                                "confidentiality_ack_date": cls.today,
                            }
                        ),
                    ],
                }
            )
        )
        cls.youth.pivot_id = cls._participant(cls.youth, cls.aid_worker_a.partner_id)
        cls.p_girl = cls._participant(cls.youth, cls.girl)
        cls.p_mother = cls._participant(cls.youth, cls.mother)
        cls.p_aid = cls._participant(cls.youth, cls.aid_worker_a.partner_id)
        cls.p_external = cls._participant(cls.youth, cls.external_worker)

    def _consent(self, **values):
        return (
            self.env["lco.consent"]
            .with_user(self.coordinator_a)
            .create(
                {
                    "case_id": self.youth.id,
                    "date_given": self.today,
                    "line_ids": [
                        Command.create({"participant_id": p.id})
                        for p in (self.p_mother, self.p_aid, self.p_external)
                    ],
                    **values,
                }
            )
        )

    def _aged(self, years):
        self.girl.lco_birthdate = self.today - relativedelta(years=years, days=10)

    def _held_work_plan(self):
        """The girl consents herself; a first meeting is held."""
        self._consent(informed_participant_ids=[Command.set(self.p_mother.ids)])
        self.youth.consent_ids.with_user(self.coordinator_a).action_give()
        meeting = (
            self.env["lco.meeting"]
            .with_user(self.coordinator_a)
            .create(
                {
                    "case_id": self.youth.id,
                    "start": fields.Datetime.now().replace(microsecond=0)
                    - timedelta(days=1),
                }
            )
        )
        self.prepare(meeting)
        meeting.with_context(lco_schedule_confirmed=True).action_schedule()
        meeting.attendee_ids.status = "present"
        self.env["lco.agreement"].with_user(self.coordinator_a).create(
            {
                "case_id": self.youth.id,
                "meeting_id": meeting.id,
                "name": "Talk with the school about a new start",
                "responsible_id": self.p_external.id,
                "deadline": self.today + timedelta(days=14),
            }
        )
        with (
            self.mock_mail_gateway(),
            freeze_time(meeting.start + timedelta(minutes=5)),
        ):
            meeting.action_hold()
        return meeting

    # Consent by age -----------------------------------------------------

    def test_consent_at_11_is_given_by_a_parent(self):
        self._aged(11)
        consent = self._consent()
        with self.assertRaisesText(ValidationError, "under 12, a parent or guardian"):
            consent.action_give()
        consent.write(
            {
                "given_by": "representative",
                "representative_id": self.mother.id,
                "representative_capacity": "parent",
            }
        )
        consent.action_give()
        self.assertEqual(consent.state, "given")
        self.assertEqual(consent.client_age, 11)
        self.assertEqual(consent.representative_participant_id, self.p_mother)

    def test_consent_at_11_not_by_someone_outside_the_table(self):
        self._aged(11)
        aunt = self.env["res.partner"].create(
            {"name": "Rita Aunt Youth", "company_id": self.company_a.id}
        )
        consent = self._consent(
            given_by="representative",
            representative_id=aunt.id,
            representative_capacity="guardian",
        )
        with self.assertRaisesText(ValidationError, "takes part in the case as parent"):
            consent.action_give()

    def test_consent_at_12_is_given_by_herself_her_mother_informed(self):
        self._aged(12)
        by_mother = self._consent(
            given_by="representative",
            representative_id=self.mother.id,
            representative_capacity="parent",
        )
        with self.assertRaisesText(ValidationError, "from 12 a young person gives"):
            by_mother.action_give()
        consent = self._consent(
            informed_participant_ids=[Command.set(self.p_mother.ids)]
        )
        consent.action_give()
        self.assertEqual(
            (consent.state, consent.given_by, consent.client_age),
            ("given", "client", 12),
        )
        self.assertEqual(consent.informed_participant_ids, self.p_mother)

    def test_consent_at_25_is_refused_in_youth_care(self):
        self._aged(25)
        consent = self._consent()
        with self.assertRaisesText(ValidationError, "young people up to 24"):
            consent.action_give()
        # A young adult of 24 is accepted.
        self._aged(24)
        consent.action_give()
        self.assertEqual(consent.client_age, 24)

    def test_youth_consent_asks_for_the_birth_date(self):
        self.girl.lco_birthdate = False
        with self.assertRaisesText(ValidationError, "Record the birth date"):
            self._consent().action_give()

    def test_refusal_message_is_translated(self):
        self._aged(25)
        consent = self._consent().with_context(lang="nl_BE")
        with self.assertRaisesText(ValidationError, "tot 24"):
            consent.action_give()

    # Endorsement --------------------------------------------------------

    def test_endorsement_by_each_route(self):
        meeting = self._held_work_plan()
        self.assertEqual(
            self.youth.with_user(self.coordinator_a).unendorsed_participant_ids,
            self.p_girl | self.p_mother | self.p_aid | self.p_external,
        )
        # The aid worker endorses himself (the click the portal makes too).
        self.p_aid.with_user(self.aid_worker_a).action_endorse_portal()
        # The coordinator records the mother's signature and the external
        # aid worker's word, as the witness.
        self.p_mother.with_user(self.coordinator_a).action_endorse_signed()
        self.p_external.with_user(self.coordinator_a).action_endorse_verbal()
        endorsements = self.youth.with_user(self.coordinator_a).endorsement_ids
        self.assertEqual(
            {(e.participant_id, e.route, e.recorded_by_id) for e in endorsements},
            {
                (self.p_aid, "portal", self.aid_worker_a),
                (self.p_mother, "signed", self.coordinator_a),
                (self.p_external, "verbal", self.coordinator_a),
            },
        )
        self.assertEqual(endorsements.meeting_id, meeting)
        self.assertEqual(set(endorsements.mapped("date")), {self.today})
        # The coordinator sees who has not endorsed yet.
        self.assertEqual(
            self.youth.with_user(self.coordinator_a).unendorsed_participant_ids,
            self.p_girl,
        )
        with self.assertRaisesText(UserError, "already endorsed"):
            self.p_mother.with_user(self.coordinator_a).action_endorse_verbal()

    def test_endorsement_only_by_the_right_user(self):
        self._held_work_plan()
        # An aid worker cannot record another's portal endorsement ...
        with self.assertRaisesText(AccessError, "for yourself only"):
            self.p_external.with_user(self.aid_worker_a).action_endorse_portal()
        # ... nor a signed or witnessed one: only the coordinator of the case.
        for action in ("action_endorse_signed", "action_endorse_verbal"):
            with self.assertRaisesText(AccessError, "Only the coordinator of case"):
                getattr(self.p_mother.with_user(self.aid_worker_a), action)()
            # Another coordinator does not even read the youth case's people.
            with self.assertRaises(AccessError):
                getattr(self.p_mother.with_user(self.coordinator2_a), action)()
        # Nor writes one directly: its fields are recorded by its actions.
        with self.assertRaisesText(UserError, "cannot be changed directly"):
            self.env["lco.endorsement"].with_user(self.aid_worker_a).create(
                {
                    "case_id": self.youth.id,
                    "meeting_id": self.youth.meeting_ids.id,
                    "participant_id": self.p_aid.id,
                    "route": "verbal",
                    "date": self.today,
                    "recorded_by_id": self.coordinator_a.id,
                }
            )
        endorsement = self.p_aid.with_user(self.aid_worker_a).action_endorse_portal()
        self.assertTrue(endorsement)
        # Nobody changes it afterwards, not even the coordinator.
        with self.assertRaises(AccessError):
            self.youth.endorsement_ids.with_user(self.coordinator_a).write(
                {"route": "signed"}
            )
        # Another organisation does not see it.
        self.assertFalse(
            self.env["lco.endorsement"]
            .with_user(self.coordinator_b)
            .search([("case_id", "=", self.youth.id)])
        )

    def test_no_endorsement_before_a_work_plan(self):
        with self.assertRaisesText(UserError, "no work plan to endorse yet"):
            self.p_aid.with_user(self.aid_worker_a).action_endorse_portal()

    # Both kinds side by side -------------------------------------------

    def test_both_kinds_side_by_side(self):
        self.assertEqual(self.case_a1.kind, "local")
        self.assertEqual(self.youth.kind, "youth")
        # Youth roles stay at a youth table.
        with self.assertRaisesText(ValidationError, "youth-care client consultation"):
            self.env["lco.participant"].with_user(self.coordinator_a).create(
                {
                    "case_id": self.case_a1.id,
                    "partner_id": self.mother.id,
                    "role": "parent",
                }
            )
        # The figures group by kind.
        groups = dict(
            self.env["lco.case"]
            .with_user(self.manager_a)
            ._read_group(
                [("company_id", "=", self.company_a.id)], ["kind"], ["__count"]
            )
        )
        self.assertEqual(groups["youth"], 1)
        self.assertEqual(groups["local"], 3)
        # So does the manager's case figure, counted from the monthly rows.
        self.env["lco.figure.month"]._cron_refresh()
        figure = self.env.ref("lco_module.action_lco_case_figures")
        counted = dict(
            self.env[figure.res_model]
            .with_user(self.manager_a)
            ._read_group(
                [("company_id", "=", self.company_a.id)], ["kind"], ["__count"]
            )
        )
        self.assertEqual(counted, groups)
        # A local case keeps its names; the youth case says Cliëntoverleg
        # jeugdhulp and hulpcoördinator.
        Report = self.env["ir.actions.report"].with_user(self.coordinator_a)
        local = Report._render_qweb_html(MEETING_REPORT, self.meeting_a1.ids)[
            0
        ].decode()
        self.assertTrue("Verslag van het lokaal cliëntoverleg" in local)
        self.assertTrue("Spilfiguur" in local)
        self.assertFalse("jeugdhulp" in local)

    def test_youth_work_plan_pdf_says_youth_care_and_endorsements(self):
        meeting = self._held_work_plan()
        self.p_mother.with_user(self.coordinator_a).action_endorse_signed()
        Report = self.env["ir.actions.report"].with_user(self.coordinator_a)
        for report in (WORK_PLAN, MEETING_REPORT):
            html = Report._render_qweb_html(report, meeting.ids)[0].decode()
            for text in (
                "Cliëntoverleg jeugdhulp",
                "Hulpcoördinator",
                "Onderschreven door",
                "Els Mother",
                "Ondertekend op het afgedrukte werkplan",
            ):
                self.assertTrue(text in html, f"{text} in {report}")
            self.assertFalse("lokaal cliëntoverleg" in html)


@tagged("post_install", "-at_install")
class TestYouthRequest(LcoRequestCommon):
    def test_a_youth_request_opens_a_youth_case(self):
        request = self._taken(
            self._request(
                kind="youth",
                client_name="Noor Jong",
                client_birthdate=self.today - relativedelta(years=14),
            )
        )
        action = request.action_accept()
        wizard = Form(
            request.env[action["res_model"]].with_context(**action["context"])
        )
        wizard.reason = "Noor and her father ask for one table."
        wizard.save().action_accept()
        self.assertEqual(request.case_id.kind, "youth")
        # A request is local unless it says otherwise.
        self.assertEqual(self._request().kind, "local")
