from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common_request import LcoRequestCommon


@tagged("post_install", "-at_install")
class TestRequestSecurity(LcoRequestCommon):
    """Who sees and changes which request, across two organisations."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own = cls._request(cls.aid_worker_a, client_name="Eigen Aanvraag")
        cls.colleague = cls._request(cls.aid_worker2_a, client_name="Van Collega")
        cls.other_org = cls._request(
            cls.aid_worker_b, client_name="Andere Gemeente", client_zip="9903"
        )

    def _visible(self, user):
        return self.env["lco.request"].with_user(user).search([])

    def test_aid_worker_sees_only_his_own_requests(self):
        self.assertEqual(self._visible(self.aid_worker_a), self.own)
        for request in (self.colleague, self.other_org):
            with self.assertRaises(AccessError):
                request.with_user(self.aid_worker_a).read(["client_name"])

    def test_aid_worker_never_reads_the_intake_notes(self):
        self._taken(self.own, intake_note="Doubts about the family's openness.")
        own = self.own.with_user(self.aid_worker_a)
        self.assertEqual(own.state, "in_review")
        for field in ("intake_note", "intake_added_value", "match_partner_ids"):
            with self.subTest(field=field), self.assertRaises(AccessError):
                own.read([field])
        fields = own.fields_get()
        self.assertNotIn("intake_note", fields)
        self.assertNotIn("open_case_id", fields)

    def test_aid_worker_corrects_his_request_until_it_is_taken_in(self):
        own = self.own.with_user(self.aid_worker_a)
        own.services_involved = "The CAW as well."
        self._taken(self.own)
        with self.assertRaises(AccessError):
            own.services_involved = "And the school."
        with self.assertRaises(AccessError):
            own.unlink()

    def test_coordinator_sees_the_requests_of_his_organisation_only(self):
        self.assertEqual(self._visible(self.coordinator_a), self.own | self.colleague)
        with self.assertRaises(AccessError):
            self.other_org.with_user(self.coordinator_a).read(["client_name"])
        with self.assertRaises(AccessError):
            self.other_org.with_user(self.coordinator_a).action_take()
        self.assertEqual(self._visible(self.coordinator_b), self.other_org)

    def test_manager_sees_and_cleans_up_the_requests_of_his_organisation(self):
        self.assertIn(self.colleague, self._visible(self.manager_a))
        self.assertNotIn(self.other_org, self._visible(self.manager_a))
        self.colleague.with_user(self.manager_a).unlink()
        with self.assertRaises(AccessError):
            self.own.with_user(self.coordinator_a).unlink()

    def test_requester_follows_his_request_routed_to_another_organisation(self):
        routed = self._request(self.aid_worker_a, client_zip="9903")
        self.assertEqual(routed.company_id, self.company_b)
        self.assertEqual(self._visible(self.aid_worker_a), self.own | routed)
        self.assertIn(routed, self._visible(self.coordinator_b))
        self.assertNotIn(routed, self._visible(self.coordinator_a))
        self._taken(routed, self.coordinator_b)._decide("redirected", "Our OCMW first.")
        self.assertEqual(
            routed.with_user(self.aid_worker_a).decision_reason, "Our OCMW first."
        )

    def test_nobody_outside_the_application_reads_requests(self):
        public = self.env.ref("base.public_user")
        portal = new_test_user(self.env, "req_portal", groups="base.group_portal")
        for user in (public, portal):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["lco.request"].with_user(user).search([])

    def test_only_coordinators_open_the_decision_wizards(self):
        with self.assertRaises(AccessError):
            self.env["lco.request.decision"].with_user(self.aid_worker_a).create(
                {"request_ids": self.own.ids, "decision": "declined", "reason": "No"}
            )
        with self.assertRaises(AccessError):
            self.own.with_user(self.aid_worker_a).action_decline()

    def test_routing_table_is_kept_per_organisation(self):
        Route = self.env["lco.postcode.route"]
        self.assertEqual(
            set(Route.with_user(self.manager_a).search([]).mapped("zip")),
            {"9901", "9902"},
        )
        with self.assertRaises(AccessError):
            Route.with_user(self.coordinator_a).create(
                {"zip": "9904", "company_id": self.company_a.id}
            )
        with self.assertRaises(AccessError):
            Route.with_user(self.manager_a).create(
                {"zip": "9904", "company_id": self.company_b.id}
            )


@tagged("post_install", "-at_install")
class TestRequestIntake(LcoRequestCommon):
    """The intake is a record of its own (lco.request.intake): its access lines
    and record rule give it to the coordinators of the request's organisation,
    never to the requester, also when he coordinates in another organisation.
    Every test acts as the user concerned, over the methods a client calls."""

    NOTE = "Family in court."

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Coordinator B asks OCMW A; aid worker A asks OCMW A: both taken in.
        cls.to_a = cls._taken(
            cls._request(cls.coordinator_b, client_name="Kim Client"),
            intake_note=cls.NOTE,
        )
        cls.own = cls._taken(cls._request(cls.aid_worker_a), intake_note=cls.NOTE)
        cls.intake = cls.to_a.sudo().intake_ids
        # Export is a right of its own in Odoo: given, so the rules answer.
        export = cls.env.ref("base.group_allow_export")
        (cls.coordinator_a | cls.coordinator_b | cls.aid_worker_a).write(
            {"groups_id": [Command.link(export.id)]}
        )

    def test_each_request_has_one_intake_of_its_organisation(self):
        self.assertEqual(len(self.intake), 1)
        self.assertEqual(self.intake.company_id, self.company_a)
        self.assertEqual(self.intake.note, self.NOTE)
        request = self._request(self.aid_worker_a)
        self.assertEqual(len(request.sudo().intake_ids), 1)

    def test_coordinator_of_another_organisation_does_not_reach_the_intake(self):
        """Coordinator B is the requester of ``to_a``: he reads the request,
        never its intake, whichever way he asks."""
        Intake = self.env["lco.request.intake"].with_user(self.coordinator_b)
        self.assertFalse(Intake.search([]) & self.intake)
        self.assertFalse(Intake.search([("note", "ilike", "court")]))
        self.assertFalse(Intake.search_read([], ["note"], order="note"))
        self.assertFalse(Intake.read_group([], ["note"], ["note"]))
        with self.assertRaises(AccessError):
            self.intake.with_user(self.coordinator_b).read(["note"])
        with self.assertRaises(AccessError):
            self.intake.with_user(self.coordinator_b).export_data(["note"])
        with self.assertRaises(AccessError):
            self.intake.with_user(self.coordinator_b).note = "Mine"
        # Through the request he submitted.
        mine = self.to_a.with_user(self.coordinator_b)
        Request = self.env["lco.request"].with_user(self.coordinator_b)
        self.assertIn(self.to_a, Request.search([]))
        values = mine.read(["intake_note", "intake_added_value", "intake_ids"])[0]
        self.assertFalse(values["intake_note"])
        self.assertFalse(values["intake_added_value"])
        self.assertFalse(Request.search([("intake_note", "ilike", "court")]))
        self.assertFalse(Request.search([("intake_note", "!=", False)]))
        self.assertFalse(Request.search([("intake_ids.note", "ilike", "court")]))
        for order in ("intake_note", "intake_ids"):
            with self.subTest(order=order), self.assertRaises(ValueError):
                Request.search([("id", "=", self.to_a.id)], order=order)
        with self.assertRaises(ValueError):
            Request.read_group([], ["id:count"], ["intake_added_value"])
        exported = mine.export_data(["intake_note", "intake_ids/note"])["datas"]
        self.assertNotIn(self.NOTE, str(exported))
        with self.assertRaises(AccessError):
            mine.intake_note = "Mine"
        form = Form(mine)
        self.assertFalse(form.intake_note)
        self.assertFalse(form.is_intake_coordinator)

    def test_requester_does_not_reach_the_intake(self):
        Intake = self.env["lco.request.intake"].with_user(self.aid_worker_a)
        for index, call in enumerate(
            (
                lambda: Intake.search([]),
                lambda: Intake.read_group([], ["note"], ["note"]),
                lambda: self.own.intake_ids.with_user(self.aid_worker_a).read(["note"]),
            )
        ):
            with self.subTest(index=index), self.assertRaises(AccessError):
                call()
        own = self.own.with_user(self.aid_worker_a)
        Request = self.env["lco.request"].with_user(self.aid_worker_a)
        for domain in (
            [("intake_note", "ilike", "court")],
            [("intake_ids.note", "ilike", "court")],
        ):
            with self.subTest(domain=domain), self.assertRaises(AccessError):
                Request.search(domain)
        with self.assertRaises(AccessError):
            own.export_data(["intake_note"])
        form = Form(own)
        self.assertEqual(form.client_name, "Sarah Test")
        self.assertNotIn("intake_note", form._view["fields"])

    def test_coordinator_of_the_organisation_takes_the_intake_in(self):
        Intake = self.env["lco.request.intake"].with_user(self.coordinator_a)
        self.assertIn(self.intake, Intake.search([("note", "ilike", "court")]))
        Request = self.env["lco.request"].with_user(self.coordinator_a)
        self.assertEqual(
            Request.search([("intake_note", "ilike", "court")]), self.to_a | self.own
        )
        groups = Intake.read_group(
            [("request_id", "=", self.to_a.id)], ["note"], ["note"]
        )
        self.assertEqual(groups[0]["note"], self.NOTE)
        exported = self.to_a.with_user(self.coordinator_a).export_data(["intake_note"])
        self.assertEqual(exported["datas"], [[self.NOTE]])
        with Form(self.to_a.with_user(self.coordinator_a)) as form:
            self.assertTrue(form.is_intake_coordinator)
            self.assertEqual(form.intake_note, self.NOTE)
            form.intake_note = "Talked with the family."
        self.assertEqual(self.intake.note, "Talked with the family.")

    def test_anonymising_a_request_erases_its_intake(self):
        self.own.with_user(self.coordinator_a)._decide("declined", "No added value.")
        self.own.with_user(self.manager_a)._lco_anonymise()
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT count(*) FROM lco_request_intake WHERE note ILIKE %s",
            ["%court%"],
        )
        self.assertEqual(self.env.cr.fetchone()[0], 1, "only the intake of to_a")
        self.assertFalse(self.own.sudo().intake_ids.note)
