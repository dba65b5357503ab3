from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

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
