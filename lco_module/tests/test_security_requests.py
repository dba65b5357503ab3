"""Security of requests (issues 7 and 19): who sees and changes which request
across two organisations; the intake, a record of its own for the
coordinators of the request's organisation; what the requester, a
coordinator of another organisation and the public reach around the record
rules of lco.request, its wizards and its chatter; the state moving only
through its buttons and their checks. Every test acts as the user concerned.
The public form's own tests are in lco_request_form."""

from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .common_request import LcoRequestCommon

INTAKE_ONLY = "Only the coordinators of the organisation a request goes to"


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


@tagged("post_install", "-at_install")
class TestRequestLeaks(LcoRequestCommon):
    """Nothing of another organisation's intake reaches a user through a request."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client_a1.write({"phone": "+32 470 11 11 11", "zip": "9901"})
        # A request of OCMW A, taken in there.
        cls.request_a = cls._taken(
            cls._request(client_name="Lotte Intake", client_zip="9901")
        )
        # Coordinator B asks OCMW A for a client of A: he is its requester.
        cls.request_b_to_a = cls._request(
            cls.coordinator_b,
            client_name="Kim Client",
            client_phone="0470 11 11 11",
            client_zip="9901",
        )

    def test_accept_wizard_is_refused_on_another_organisations_request(self):
        """Item 1: the wizard is checked at create, for any request id."""
        Accept = self.env["lco.request.accept"].with_user(self.coordinator_b)
        missing_id = self.env["lco.request"].search([], order="id desc", limit=1).id + 9
        for request_id in (self.request_a.id, self.request_b_to_a.id, missing_id):
            with (
                self.subTest(request_id=request_id),
                self.assertRaisesText(AccessError, INTAKE_ONLY),
            ):
                Accept.create(
                    {"request_id": request_id, "reason": "x", "client_choice": "new"}
                )
        with self.assertRaisesText(AccessError, INTAKE_ONLY):
            Accept.with_context(default_request_id=self.request_a.id).create(
                {"reason": "x", "client_choice": "new"}
            )
        Decision = self.env["lco.request.decision"].with_user(self.coordinator_b)
        for request_ids in (self.request_a.ids, [missing_id]):
            with self.assertRaisesText(AccessError, INTAKE_ONLY):
                Decision.create(
                    {
                        "request_ids": [Command.set(request_ids)],
                        "decision": "declined",
                        "reason": "x",
                    }
                )
        with self.assertRaises(AccessError):
            self.request_b_to_a.with_user(self.coordinator_b).action_accept()

    def test_accept_wizard_keeps_to_its_request_and_what_its_user_reads(self):
        """Item 1: no request swapped in afterwards, no contact of elsewhere, and
        the client's open case only when the coordinator may read it."""
        colleague_case = self.case_a3  # coordinated by coordinator2_a
        request = self._taken(self._request(client_id=self.client_a3.id))
        self.assertFalse(request.open_case_id)
        action = request.action_accept()
        wizard = Form(
            request.env[action["res_model"]].with_context(**action["context"])
        )
        self.assertEqual(wizard.partner_id, self.client_a3)
        self.assertFalse(wizard.open_case_id)
        wizard.reason = "Good reasons"
        wizard = wizard.save()
        self.assertEqual(wizard.client_name, request.client_name)
        with self.assertRaises(UserError):
            wizard.request_id = self.request_a
        with self.assertRaises(UserError):
            wizard.partner_id = self.client_b1
        with self.assertRaisesRegex(UserError, colleague_case.name):
            wizard.action_accept()

    def test_request_is_not_linked_to_a_case_by_hand(self):
        """Item 3: case_id comes from accepting; a foreign, unreadable or missing
        case gets the same answer."""
        Request = self.env["lco.request"]
        with self.assertRaisesText(AccessError, INTAKE_ONLY):
            Request.with_user(self.coordinator_b).create(
                self._request_values(case_id=self.case_a1.id)
            )
        with self.assertRaisesText(AccessError, INTAKE_ONLY):
            Request.with_user(self.coordinator_b).create(
                self._request_values(case_id=self.case_a1.id + 100000)
            )
        with self.assertRaisesText(UserError, "A request starts as new"):
            Request.with_user(self.coordinator_a).create(
                self._request_values(case_id=self.case_a1.id)
            )
        request = self._taken(self._request(client_id=self.client_a1.id))
        answers = set()
        for case_id in (self.case_b1.id, self.case_a3.id, self.case_a1.id + 100000):
            with self.assertRaises(UserError) as refusal:
                request.write(
                    {
                        "state": "accepted",
                        "case_id": case_id,
                        "decision_reason": "By hand",
                    }
                )
            answers.add(str(refusal.exception))
        self.assertEqual(len(answers), 1)
        self.assertIn("is accepted with its Accept button", answers.pop())
        self.assertEqual(request.state, "in_review")

    def test_open_case_and_matches_only_for_the_intake_of_the_organisation(self):
        """Item 3: coordinator B reads nothing of A's contacts and cases through
        his own request to A; coordinator A does."""
        mine = self.request_b_to_a.with_user(self.coordinator_b)
        values = mine.read(["open_case_id", "match_partner_ids"])[0]
        self.assertFalse(values["open_case_id"])
        self.assertFalse(values["match_partner_ids"])
        self.assertFalse(mine.is_intake_coordinator)
        theirs = self.request_b_to_a.with_user(self.coordinator_a)
        self.assertEqual(theirs.match_partner_ids, self.client_a1)
        self.assertEqual(theirs.open_case_id, self.case_a1)
        self.assertTrue(theirs.is_intake_coordinator)

    def test_requester_points_only_at_contacts_he_sees(self):
        """Item 4: a contact of another organisation, or one that does not exist,
        gets the same answer, on create and on write."""
        missing = self.env["res.partner"].search([], order="id desc", limit=1).id + 9
        answers = set()
        for name in ("client_id", "requester_partner_id"):
            for partner_id in (self.client_b1.id, missing):
                with self.assertRaises(UserError) as refusal:
                    self._request(client_zip="9903", **{name: partner_id})
                answers.add(str(refusal.exception).split(":", 1)[1])
        self.assertEqual(len(answers), 1)
        own = self._request(client_zip="9903").with_user(self.aid_worker_a)
        for partner_id in (self.client_b1.id, missing):
            with self.assertRaises(UserError):
                own.client_id = partner_id
        # A contact of his own organisation, on a request that goes to another.
        with self.assertRaisesText(UserError, "belongs to another organisation"):
            own.client_id = self.client_a2
        self.assertFalse(own.client_id)
        # A contact shared by all organisations is fine.
        own.client_id = self.external_worker
        self.assertEqual(own.client_name, "Sarah Test")


@tagged("post_install", "-at_install")
class TestRequestChatter(LcoRequestCommon):
    """Item 6: intake deliberation in the chatter stays with the coordinators."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.request = cls._request()
        cls.request_b_to_a = cls._request(cls.coordinator_b)
        for request in (cls.request, cls.request_b_to_a):
            request.with_user(request.requester_user_id).message_post(
                body="Note of the requester.",
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
            cls._taken(request).message_post(
                body="Doubts about the family's openness.",
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
            request.with_user(cls.coordinator_a).message_post(
                body="We call you on Monday.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        cls.flush_tracking()

    def _bodies(self, user, request):
        messages = (
            self.env["mail.message"]
            .with_user(user)
            .search([("model", "=", "lco.request"), ("res_id", "=", request.id)])
        )
        return " ".join(messages.mapped("body"))

    def test_requester_reads_the_messages_to_him_not_the_notes(self):
        for request, requester in (
            (self.request, self.aid_worker_a),
            (self.request_b_to_a, self.coordinator_b),
        ):
            with self.subTest(requester=requester.login):
                bodies = self._bodies(requester, request)
                self.assertIn("We call you on Monday.", bodies)
                self.assertIn("Note of the requester.", bodies)
                self.assertNotIn("Doubts", bodies)
                self.assertNotIn("A new request", bodies)
                notes = (
                    self.env["mail.message"]
                    .search(
                        [("res_id", "=", request.id), ("model", "=", "lco.request")]
                    )
                    .filtered(lambda m: "Doubts" in m.body or "new request" in m.body)
                )
                self.assertEqual(len(notes), 2)
                with self.assertRaises(AccessError):
                    notes.with_user(requester).read(["body"])
                with self.assertRaises(AccessError):
                    notes[0].with_user(requester).write({"body": "Changed"})
                bodies = " ".join(
                    request.with_user(requester).message_ids.mapped("body")
                )
                self.assertNotIn("Doubts", bodies)

    def test_requester_does_not_read_the_intake_to_dos(self):
        self.request.with_user(self.coordinator_a).activity_schedule(
            "mail.mail_activity_data_todo",
            summary="Call the youth court",
            user_id=self.coordinator_a.id,
        )
        self.env.invalidate_all()
        mine = self.request.with_user(self.aid_worker_a)
        values = mine.read(["activity_summary", "activity_user_id"])[0]
        self.assertFalse(values["activity_summary"])
        self.assertFalse(values["activity_user_id"])
        self.env.invalidate_all()
        self.assertFalse(mine.read(["activity_ids"])[0]["activity_ids"])
        # Another user, another request of the web client: a fresh cache.
        self.env.invalidate_all()
        self.assertEqual(
            self.request.with_user(self.coordinator2_a).activity_summary,
            "Call the youth court",
        )

    def test_coordinators_of_the_organisation_read_everything(self):
        bodies = self._bodies(self.coordinator2_a, self.request_b_to_a)
        for text in ("Doubts", "We call you", "Note of the requester", "A new request"):
            self.assertIn(text, bodies)

    def test_requester_reads_the_decision(self):
        self.request.with_user(self.coordinator_a)._decide("declined", "Not now.")
        self.flush_tracking()
        decided = self.env.ref("lco_module.mt_lco_request_decided")
        messages = (
            self.env["mail.message"]
            .with_user(self.aid_worker_a)
            .search([("model", "=", "lco.request"), ("res_id", "=", self.request.id)])
        )
        self.assertIn(decided, messages.subtype_id)


@tagged("post_install", "-at_install")
class TestRequestChatterRoute(LcoRequestCommon, HttpCase):
    """Item 6 through the route the chatter of the web client reads."""

    def test_thread_messages_route_hides_the_notes_from_the_requester(self):
        request = self._taken(self._request())
        request.with_user(self.coordinator_a).message_post(
            body="Doubts about the family's openness.",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        request.with_user(self.coordinator_a).message_post(
            body="We call you on Monday.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.flush_tracking()
        params = {"thread_model": "lco.request", "thread_id": request.id}
        self.authenticate(self.aid_worker_a.login, self.aid_worker_a.login)
        seen = str(self.make_jsonrpc_request("/mail/thread/messages", params))
        self.assertIn("We call you on Monday.", seen)
        self.assertNotIn("Doubts", seen)
        self.assertNotIn("A new request", seen)
        # The coordinators of the organisation read it: the same fetch as the
        # route's.
        fetched = (
            self.env["mail.message"]
            .with_user(self.coordinator_a)
            ._message_fetch(
                [("model", "=", "lco.request"), ("res_id", "=", request.id)]
            )
        )
        self.assertIn("Doubts", " ".join(fetched["messages"].mapped("body")))


@tagged("post_install", "-at_install")
class TestRequestWorkflow(LcoRequestCommon):
    """Items 7, 8 and 14: the state moves through the buttons and their checks,
    whatever is written."""

    def test_state_is_not_written_past_its_checks(self):
        request = self._taken(self._request()).with_user(self.coordinator_a)
        with self.assertRaisesText(UserError, "Give the reason"):
            request.write({"state": "declined"})
        with self.assertRaisesText(UserError, "Accept button"):
            request.write({"state": "accepted", "decision_reason": "Yes"})
        with self.assertRaisesText(UserError, "cannot go from"):
            request.write({"state": "new"})
        with self.assertRaisesText(ValidationError, "not a status"):
            request.write({"state": "archived"})
        with self.assertRaisesText(UserError, "recorded with the decision"):
            request.write({"decision_reason": "Written before deciding"})
        with self.assertRaisesText(UserError, "recorded with the decision"):
            request.write({"date_decided": "2020-01-01 00:00:00"})
        request.write({"state": "redirected", "decision_reason": "Elsewhere"})
        self.assertTrue(request.date_decided)
        with self.assertRaisesText(UserError, "was decided on already"):
            request.write({"state": "in_review"})
        with self.assertRaisesText(UserError, "was decided on already"):
            request.write({"question": "Rewritten afterwards"})

    def test_request_is_created_new_in_its_organisation(self):
        values = self._request_values()
        for user, state, exception in (
            (self.aid_worker_a, "accepted", AccessError),
            (self.coordinator_b, "accepted", AccessError),
            (self.coordinator_b, "in_review", AccessError),
            (self.coordinator_a, "accepted", UserError),
        ):
            with self.subTest(user=user.login, state=state):
                with self.assertRaises(exception):
                    self.env["lco.request"].with_user(user).create(
                        {**values, "state": state, "decision_reason": "x"}
                    )
        with self.assertRaisesText(AccessError, INTAKE_ONLY):
            self.env["lco.request"].with_user(self.coordinator_b).create(
                {**values, "user_id": self.coordinator_b.id}
            )
        with self.assertRaisesText(UserError, "coordinators of"):
            self.env["lco.request"].with_user(self.coordinator_a).create(
                {**values, "user_id": self.aid_worker_a.id}
            )

    def test_requester_does_not_rewrite_what_routes_and_identifies_his_request(self):
        own = self._request().with_user(self.aid_worker_a)
        for values in (
            {"name": "AANV/1999/0001"},
            {"requester_user_id": self.aid_worker2_a.id},
        ):
            with self.subTest(values=values):
                with self.assertRaisesText(UserError, "do not change"):
                    own.write(values)
        for values in (
            {"channel": "phone"},
            {"company_id": self.company_b.id},
            {"date_received": "2020-01-01 00:00:00"},
            {"intake_note": "Mine"},
        ):
            with self.subTest(values=values), self.assertRaises(AccessError):
                own.write(values)
        with self.assertRaisesText(UserError, "public form"):
            self._request(channel="web")
        # Moving the client to another postcode routes the request again.
        own.client_zip = "9903"
        self.assertEqual(own.sudo().company_id, self.company_b)

    def test_coordinator_forwards_a_request_and_it_is_tracked(self):
        request = self._request()
        self.flush_tracking()
        mine = request.with_user(self.coordinator_a)
        with self.assertRaisesText(UserError, "public form"):
            mine.channel = "web"
        mine.channel = "phone"
        mine.company_id = self.company_b
        self.flush_tracking()
        self.assertEqual(request.company_id, self.company_b)
        tracked = request.sudo().message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertIn("company_id", tracked)
        self.assertIs(request.with_user(self.coordinator_b).action_take(), True)

    def test_forwarding_leaves_the_intake_behind(self):
        request = self._request()
        mine = request.with_user(self.coordinator_a)
        mine.user_id = self.coordinator_a
        # The requester moves the client to a postcode of OCMW B.
        request.with_user(self.aid_worker_a).client_zip = "9903"
        self.assertEqual(request.company_id, self.company_b)
        self.assertFalse(request.user_id)
        taken = self._taken(self._request())
        with self.assertRaisesText(UserError, "Redirect it"):
            taken.company_id = self.company_b
        with self.assertRaisesText(UserError, "Redirect it"):
            taken.client_zip = "9903"
        taken.client_zip = "9902"
        self.assertEqual(taken.company_id, self.company_a)
        self.assertEqual(taken.user_id, self.coordinator_a)

    def test_request_without_the_clients_agreement_is_refused_when_left_out(self):
        """Item 8: leaving the fields out is refusing."""
        values = self._request_values()
        for missing in (
            {"client_informed", "client_agrees"},
            {"client_informed"},
            {"client_agrees"},
        ):
            with self.subTest(missing=missing), self.assertRaises(ValidationError):
                self.env["lco.request"].with_user(self.aid_worker_a).create(
                    {k: v for k, v in values.items() if k not in missing}
                )

    def test_bad_values_get_a_clear_message(self):
        Request = self.env["lco.request"].with_user(self.aid_worker_a)
        for values in ({"client_id": "abc"}, {"client_id": [1, 2]}):
            with self.subTest(values=values):
                with self.assertRaisesText(ValidationError, "give the id of a record"):
                    Request.create(self._request_values(**values))
        request = Request.create(self._request_values(client_zip=9903))
        self.assertEqual(request.sudo().company_id, self.company_b)

    def test_buttons_answer_something_a_client_can_read(self):
        """Item 14: no None for XML-RPC to marshal."""
        request = self._request().with_user(self.coordinator_a)
        self.assertIs(request.action_take(), True)
        request.write(
            {
                "intake_added_value": "yes",
                "intake_open_conversation": "yes",
                "intake_room_to_choose": "yes",
            }
        )
        action = request.action_accept()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.coordinator_a)
            .with_context(**action["context"])
            .create({"reason": "Yes", "client_choice": "new", "send_mail": False})
        )
        self.assertEqual(wizard.action_accept()["res_model"], "lco.case")
        other = self._request().with_user(self.coordinator_a)
        decision = (
            self.env["lco.request.decision"]
            .with_user(self.coordinator_a)
            .create(
                {
                    "request_ids": [Command.set(other.ids)],
                    "decision": "declined",
                    "reason": "Not now",
                    "send_mail": False,
                }
            )
        )
        self.assertEqual(
            decision.action_confirm()["type"], "ir.actions.act_window_close"
        )
        self.assertEqual(other.state, "declined")
        self.assertEqual(other.date_decided.date(), date.today())
