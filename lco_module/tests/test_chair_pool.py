from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common_request import LcoRequestCommon

NOT_NEUTRAL = "A chair works for no service at the table."


@tagged("post_install", "-at_install")
class TestChairPool(LcoRequestCommon):
    """A regional contact point (a third organisation) with its pool of
    external chairs, and a youth-care case at whose table youth-care service
    De Vlinder takes part."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact_point = cls.env["res.company"].create({"name": "Contact Point"})
        cls.env["lco.postcode.route"].create(
            {
                "zip": "9901",
                "city": "Adorp",
                "kind": "youth",
                "company_id": cls.contact_point.id,
            }
        )
        cls.intake_cp = cls._new_user("intake_cp", "coordinator", cls.contact_point)
        cls.manager_cp = cls._new_user("manager_cp", "manager", cls.contact_point)
        Partner = cls.env["res.partner"]
        cls.youth_service = Partner.create({"name": "De Vlinder", "is_company": True})
        cls.youth_worker = Partner.create(
            {"name": "Wim Vlinder", "parent_id": cls.youth_service.id}
        )
        cls.clb = Partner.create({"name": "CLB Adorp", "is_company": True})
        cls.clb_worker = Partner.create({"name": "Els CLB", "parent_id": cls.clb.id})
        cls.mental_health = Partner.create({"name": "CGG", "is_company": True})
        cls.other_service = Partner.create({"name": "Kompas", "is_company": True})
        cls.route_9901 = cls.env["lco.postcode.route"].search(
            [("zip", "=", "9901"), ("kind", "=", "youth")]
        )
        cls.lang_nl = cls.env["res.lang"]._activate_lang("nl_BE")
        cls.lang_fr = cls.env["res.lang"]._activate_lang("fr_BE")

        cls.chair_vlinder = cls._chair("chair_vlinder", cls.youth_service)
        cls.chair_region = cls._chair(
            "chair_region", cls.mental_health, langs=cls.lang_fr
        )
        cls.chair_lang = cls._chair(
            "chair_lang", cls.other_service, routes=cls.route_9901.browse()
        )

        cls.youth_client = Partner.create(
            {
                "name": "Lien Jong",
                "zip": "9901",
                "lang": "nl_BE",
                "company_id": cls.contact_point.id,
            }
        )
        cls.youth_case = cls._create_case(
            cls.intake_cp,
            cls.youth_client,
            [(cls.youth_worker, "professional"), (cls.clb_worker, "professional")],
            pivot=cls.clb_worker,
        )
        cls.youth_case.kind = "youth"
        cls.other_youth_case = cls._create_case(
            cls.intake_cp,
            Partner.create({"name": "Tom Jong", "company_id": cls.contact_point.id}),
        )
        cls.other_youth_case.kind = "youth"
        cls.flush_tracking()

    @classmethod
    def _chair(cls, login, employer, langs=None, routes=None):
        user = cls._new_user(login, "chair", cls.contact_point)
        return cls.env["lco.chair"].create(
            {
                "user_id": user.id,
                "company_id": cls.contact_point.id,
                "employer_id": employer.id,
                "lang_ids": [Command.set((langs or cls.lang_nl).ids)],
                "route_ids": [
                    Command.set((cls.route_9901 if routes is None else routes).ids)
                ],
                "capacity": 2,
            }
        )

    def _ranked(self, case=None, user=None):
        Chair = self.env["lco.chair"].with_user(user or self.intake_cp)
        ranked, left_out = Chair._rank_for_case(case or self.youth_case)
        return [line["chair"] for line in ranked], left_out

    def _propose(self, chair, case=None):
        return (
            self.env["lco.chair.proposal"]
            .with_user(self.intake_cp)
            .create({"case_id": (case or self.youth_case).id, "chair_id": chair.id})
        )

    # Routing

    def test_youth_request_goes_to_the_contact_point(self):
        youth = self._request(kind="youth")
        local = self._request()
        self.assertEqual(youth.company_id, self.contact_point)
        self.assertEqual(local.company_id, self.company_a)
        self.assertFalse(youth.is_unrouted)
        # Its intake is the contact point's coordinators', not the chairs'.
        self.assertTrue(youth.with_user(self.intake_cp).action_take())
        chair_user = self.chair_region.user_id
        self.assertFalse(
            self.env["lco.request"]
            .with_user(chair_user)
            .search([("id", "=", youth.id)])
        )
        with self.assertRaises(AccessError):
            youth.with_user(chair_user).read(["question"])
        # Nor its intake, which his coordinator's access lines would allow.
        self.assertTrue(youth.sudo().intake_ids)
        self.assertFalse(
            self.env["lco.request.intake"].with_user(chair_user).search([])
        )

    def test_a_chair_is_not_told_of_new_requests(self):
        youth = self._request(kind="youth")
        notified = youth.sudo().message_ids.notified_partner_ids
        self.assertIn(self.intake_cp.partner_id, notified)
        self.assertNotIn(self.chair_region.user_id.partner_id, notified)

    # Neutrality

    def test_employed_chair_is_never_proposed(self):
        ranked, left_out = self._ranked()
        self.assertNotIn(self.chair_vlinder, ranked)
        self.assertEqual(left_out, self.chair_vlinder)
        action = self.youth_case.with_user(self.intake_cp).action_propose_chair()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.intake_cp)
            .with_context(**action["context"])
        )
        self.assertIn(self.chair_vlinder.name, wizard.left_out_note)
        self.assertEqual(wizard.chair_id, self.chair_region)
        lines = (
            self.env[action["res_model"]]
            .with_user(self.intake_cp)
            .with_context(**action["context"])
            .default_get(["case_id", "line_ids"])["line_ids"]
        )
        first = lines[0][2]
        self.assertEqual(first["chair_id"], self.chair_region.id)
        self.assertIn("Chairs in postcode 9901", first["reasons"])
        self.assertIn("Chairs 0 of 2 cases at once", first["reasons"])
        with self.assertRaisesText(ValidationError, NOT_NEUTRAL):
            self._propose(self.chair_vlinder)

    def test_employed_by_a_branch_or_the_parent_of_a_service(self):
        branch = self.env["res.partner"].create(
            {
                "name": "De Vlinder, afdeling thuisbegeleiding",
                "is_company": True,
                "parent_id": self.youth_service.id,
            }
        )
        self.chair_region.employer_id = branch
        self.assertNotIn(self.chair_region, self._ranked()[0])
        with self.assertRaisesText(ValidationError, NOT_NEUTRAL):
            self._propose(self.chair_region)

    def test_a_participant_of_the_chairs_service_is_refused(self):
        proposal = self._propose(self.chair_region)
        # While the chair is asked: whoever joins is checked against him.
        cgg_worker = self.env["res.partner"].create(
            {"name": "Jan CGG", "parent_id": self.mental_health.id}
        )
        Participant = self.env["lco.participant"]
        with self.assertRaisesText(ValidationError, NOT_NEUTRAL):
            Participant.with_user(self.intake_cp).create(
                {"case_id": self.youth_case.id, "partner_id": cgg_worker.id}
            )
        proposal.with_user(self.chair_region.user_id).action_accept()
        # Once he chairs it: he cannot bring his colleague to the table.
        with self.assertRaisesText(ValidationError, NOT_NEUTRAL):
            Participant.with_user(self.chair_region.user_id).create(
                {"case_id": self.youth_case.id, "partner_id": cgg_worker.id}
            )
        # Nor a participant whose service is his employer.
        clb = self._participant(self.youth_case, self.clb_worker)
        with self.assertRaisesText(ValidationError, NOT_NEUTRAL):
            clb.with_user(
                self.chair_region.user_id
            ).organisation_id = self.mental_health
        # Another service joins.
        kompas = self.env["res.partner"].create(
            {"name": "Piet Kompas", "parent_id": self.other_service.id}
        )
        Participant.with_user(self.chair_region.user_id).create(
            {"case_id": self.youth_case.id, "partner_id": kompas.id}
        )

    def test_case_is_not_handed_to_a_chair_who_is_not_neutral(self):
        with self.assertRaisesText(ValidationError, NOT_NEUTRAL):
            self.youth_case.with_user(
                self.manager_cp
            ).coordinator_id = self.chair_vlinder.user_id

    # Ranking

    def test_ranking_by_region_language_and_load(self):
        # Region first: chair_region (region, not Dutch) before chair_lang.
        self.assertEqual(self._ranked()[0], [self.chair_region, self.chair_lang])
        # Same region: who speaks the client's language first.
        self.chair_lang.route_ids = self.route_9901
        self.assertEqual(self._ranked()[0], [self.chair_lang, self.chair_region])
        # Same region and language: the lighter load first.
        self.chair_region.lang_ids = self.lang_nl
        self.chair_lang.capacity = self.chair_region.capacity = 3
        self.other_youth_case.coordinator_id = self.chair_lang.user_id
        self.assertEqual(self._ranked()[0], [self.chair_region, self.chair_lang])
        # A chair at capacity comes last, whatever his region.
        self.chair_region.capacity = 1
        self.env["lco.case"].create(
            {
                "company_id": self.contact_point.id,
                "coordinator_id": self.chair_region.user_id.id,
                "client_id": self.env["res.partner"]
                .create({"name": "An Jong", "company_id": self.contact_point.id})
                .id,
            }
        )
        self.assertEqual(self._ranked()[0], [self.chair_lang, self.chair_region])

    # Accepting and declining

    def test_chair_accepts_and_runs_the_case(self):
        chair_user = self.chair_region.user_id
        proposal = self._propose(self.chair_region)
        self.assertEqual(proposal.activity_ids.user_id, chair_user)
        # Before he accepts he reads the proposal, not the case.
        as_chair = proposal.with_user(chair_user)
        self.assertEqual(as_chair.client_zip, "9901")
        self.assertIn("De Vlinder", as_chair.services)
        with self.assertRaises(AccessError):
            self.youth_case.with_user(chair_user).read(["question"])
        with self.assertRaises(AccessError):
            proposal.with_user(self.chair_lang.user_id).read(["case_name"])
        with self.assertRaises(AccessError):
            proposal.with_user(self.chair_lang.user_id).action_accept()
        as_chair.action_accept()
        self.assertEqual(self.youth_case.coordinator_id, chair_user)
        self.assertEqual(proposal.state, "accepted")
        self.assertFalse(proposal.activity_ids)
        with self.assertRaises(UserError):
            as_chair.action_accept()
        # He runs it: plans a meeting, reads the agreements.
        case = self.youth_case.with_user(chair_user)
        case.action_plan_meeting()
        self.assertTrue(case.agreement_ids.read(["name"]))

    def test_chair_declines_with_a_reason(self):
        chair_user = self.chair_region.user_id
        proposal = self._propose(self.chair_region).with_user(chair_user)
        with self.assertRaises(UserError):
            proposal.action_decline()
        proposal.decline_reason = "Too far from home this month"
        with self.assertRaises(UserError):
            proposal.write({"chair_id": self.chair_lang.id})
        proposal.action_decline()
        self.assertEqual(proposal.state, "declined")
        self.assertEqual(self.youth_case.coordinator_id, self.intake_cp)
        activity = self.youth_case.activity_ids.filtered(
            lambda a: a.user_id == self.intake_cp
        )
        self.assertIn("Too far from home", activity.note)
        with self.assertRaises(UserError):
            proposal.decline_reason = "Changed my mind"

    def test_only_the_contact_point_proposes(self):
        self._propose(self.chair_region).with_user(
            self.chair_region.user_id
        ).action_accept()
        with self.assertRaises(AccessError):
            self.env["lco.chair.proposal"].with_user(self.chair_region.user_id).create(
                {"case_id": self.youth_case.id, "chair_id": self.chair_lang.id}
            )
        with self.assertRaisesText(AccessError, "opens no cases"):
            self.env["lco.case"].with_user(self.chair_region.user_id).create(
                {
                    "company_id": self.contact_point.id,
                    "client_id": self.youth_client.id,
                }
            )
        with self.assertRaisesText(UserError, "local client consultation"):
            self.env["lco.chair.proposal"].create(
                {"case_id": self.case_a1.id, "chair_id": self.chair_lang.id}
            )

    # What the chair sees

    def test_chair_reads_only_the_cases_he_chairs(self):
        chair_user = self.chair_region.user_id
        self._propose(self.chair_region).with_user(chair_user).action_accept()
        youth_request = self._request(kind="youth")
        env = self.env(user=chair_user)
        self.assertEqual(env["lco.case"].search([]), self.youth_case)
        for model, field in (
            ("lco.meeting", "case_id"),
            ("lco.agreement", "case_id"),
            ("lco.participant", "case_id"),
            ("lco.agenda.item", "case_id"),
        ):
            self.assertEqual(
                env[model].search([]).mapped(field), self.youth_case, model
            )
        self.assertFalse(env["lco.request"].search([]))
        for record in (self.other_youth_case, youth_request, self.case_a1):
            with self.assertRaises(AccessError):
                record.with_user(chair_user).read(["name"])
        # Figures per chair: his case, as the contact point counts it.
        chair = self.chair_region.with_user(self.manager_cp)
        self.assertEqual((chair.case_count, chair.open_case_count), (1, 1))
        self.assertEqual(
            chair.days_to_first_meeting, self.youth_case.days_to_first_meeting
        )
        # The pool belongs to its contact point.
        self.assertFalse(self.env["lco.chair"].with_user(self.coordinator_a).search([]))
