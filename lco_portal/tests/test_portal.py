import re

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from odoo.addons.lco_module.tests.common_portal import LcoPortalCommon


@tagged("post_install", "-at_install")
class TestPortalAccess(LcoPortalCommon):
    """Who gets in, and what he sees, over RPC (the ORM as the portal user)."""

    def test_grant_uses_portal_wizard_and_makes_portal_users(self):
        for user in (self.portal_client, self.portal_aunt, self.portal_external):
            self.assertTrue(user._is_portal(), user.name)
            self.assertFalse(user._is_internal(), user.name)
        self.assertEqual(self.portal_client.company_id, self.company_a)
        # Ann's one portal user is let into OCMW B for case_b1.
        self.assertEqual(
            self.portal_external.company_ids, self.company_a | self.company_b
        )
        self.assertTrue(self._participant(self.case_a1, self.aunt_a1).has_portal_access)

    def test_grant_needs_consent_cover(self):
        neighbour = self.env["res.partner"].create(
            {"name": "Nina Neighbour", "email": "nina@example.com"}
        )
        self.case_a1.participant_ids = [
            Command.create({"partner_id": neighbour.id, "role": "network"})
        ]
        participant = self._participant(self.case_a1, neighbour)
        with self.assertRaisesText(UserError, "not covered by the client's consent"):
            participant.with_user(self.coordinator_a).action_grant_portal_access()
        self.assertFalse(neighbour.user_ids)

    def test_grant_only_by_who_runs_the_case(self):
        participant = self._participant(self.case_a1, self.aunt_a1)
        for user in (self.aid_worker_a, self.coordinator_b):
            with self.assertRaises(AccessError):
                participant.with_user(user).action_grant_portal_access()

    def test_internal_user_gets_no_portal_access(self):
        participant = self._participant(self.case_a1, self.aid_worker2_a.partner_id)
        with self.assertRaisesText(UserError, "works in Odoo"):
            participant.with_user(self.coordinator_a).action_grant_portal_access()

    def test_portal_users_see_only_their_cases(self):
        Case = self.env["lco.case"]
        self.assertEqual(Case.with_user(self.portal_client).search([]), self.case_a1)
        self.assertEqual(Case.with_user(self.portal_aunt).search([]), self.case_a1)
        self.assertEqual(
            Case.with_user(self.portal_external).search([]),
            self.case_a1 | self.case_b1,
        )
        for case in (self.case_a2, self.case_a3):
            with self.assertRaises(AccessError):
                case.with_user(self.portal_client).read(["name"])
        with self.assertRaises(AccessError):
            self.case_b1.with_user(self.portal_aunt).read(["name"])

    def test_client_of_other_organisation(self):
        self.assertEqual(self.portal_client_b.company_ids, self.company_b)
        self.assertEqual(
            self.env["lco.case"].with_user(self.portal_client_b).search([]),
            self.case_b1,
        )
        self.assertFalse(
            self.env["lco.agreement"]
            .with_user(self.portal_client_b)
            .search([("company_id", "=", self.company_a.id)])
        )
        with self.assertRaises(AccessError):
            self.case_a1.with_user(self.portal_client_b).read(["name"])

    def test_portal_users_see_nothing_else(self):
        for user in (self.portal_client, self.portal_external):
            for model in ("lco.request", "lco.access.log", "lco.consent"):
                with self.assertRaises(AccessError, msg=f"{user.name} {model}"):
                    self.env[model].with_user(user).search([])
            Meeting = self.env["lco.meeting"].with_user(user)
            self.assertFalse(
                Meeting.search([("case_id", "in", (self.case_a2 | self.case_a3).ids)])
            )
            with self.assertRaises(AccessError):
                self.case_a1.with_user(user).write({"goals": "Mine"})
            with self.assertRaises(AccessError):
                self.meeting_a1.with_user(user).write({"location": "Elsewhere"})

    def test_the_chatter_stays_closed_to_portal_users(self):
        """The chatter holds every report sent (the full one too) and every
        note: a portal user reads what his consent allows on his portal page,
        never the chatter."""
        note = self.meeting_a1.message_post(
            body="The full report",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        Message = self.env["mail.message"]
        for user in (self.portal_client, self.portal_external):
            self.assertFalse(
                Message.with_user(user).search([("model", "like", "lco.")]), user.name
            )
            with self.assertRaises(AccessError):
                note.with_user(user).read(["body"])
            with self.assertRaises(AccessError):
                self.case_a1.with_user(user).message_post(body="Hello all")
        self.assertEqual(
            note.with_user(self.coordinator_a).read(["body"])[0]["body"],
            note.body,
        )

    def test_what_was_said_is_not_read_over_rpc(self):
        case = self.case_a1.with_user(self.portal_client)
        self.assertEqual(case.read(["name"])[0]["name"], self.case_a1.name)
        for field in ("question", "goals", "strengths", "consent_id"):
            with self.assertRaises(AccessError, msg=field):
                case.read([field])
        with self.assertRaises(AccessError):
            self.meeting_a1.with_user(self.portal_client).read(["minutes"])
        with self.assertRaises(AccessError):
            self.env["lco.case"].with_user(self.portal_client).search(
                [("question", "ilike", "home")]
            )

    def test_scope_follows_the_consent(self):
        self.assertEqual(
            self.case_a1.with_user(self.portal_client)._lco_portal_scope(), "full"
        )
        self.assertEqual(
            self.case_a1.with_user(self.portal_aunt)._lco_portal_scope(), "full"
        )
        self.assertEqual(
            self.case_b1.with_user(self.portal_external)._lco_portal_scope(),
            "work_plan",
        )

    def test_withdrawn_consent_ends_access_at_once(self):
        self.case_a1.consent_id.with_user(self.coordinator_a).action_withdraw()
        Case = self.env["lco.case"]
        self.assertFalse(Case.with_user(self.portal_aunt).search([]))
        self.assertFalse(
            self.env["lco.agreement"].with_user(self.portal_aunt).search([])
        )
        # His other cases stay; the client keeps his own case.
        self.assertEqual(Case.with_user(self.portal_external).search([]), self.case_b1)
        self.assertEqual(Case.with_user(self.portal_client).search([]), self.case_a1)

    def test_archived_participant_loses_access(self):
        self._participant(self.case_a1, self.external_worker).with_user(
            self.coordinator_a
        ).active = False
        self.assertEqual(
            self.env["lco.case"].with_user(self.portal_external).search([]),
            self.case_b1,
        )
        self.assertFalse(
            self.env["lco.meeting"]
            .with_user(self.portal_external)
            .search([("case_id", "=", self.case_a1.id)])
        )

    def test_other_company_case_needs_that_company(self):
        """Without OCMW B among her companies, Ann does not see case_b1."""
        self.portal_external.company_ids = self.company_a
        self.assertEqual(
            self.env["lco.case"].with_user(self.portal_external).search([]),
            self.case_a1,
        )

    def test_reply_to_invitation(self):
        attendee = self.attendee(self.meeting_a1, self.client_a1).with_user(
            self.portal_client
        )
        attendee._lco_portal_reply("excused", "  Childcare for two children ")
        self.assertEqual(attendee.status, "excused")
        self.assertEqual(attendee.practical_needs, "Childcare for two children")
        invitation = self.meeting_a1.calendar_event_id.attendee_ids.filtered(
            lambda a: a.partner_id == self.client_a1
        )
        self.assertEqual(invitation.state, "declined")
        attendee._lco_portal_reply("confirmed", "")
        self.assertEqual(attendee.status, "confirmed")
        self.assertEqual(invitation.state, "accepted")

    def test_reply_only_own_invitation_and_fields(self):
        others = self.attendee(self.meeting_a1, self.aunt_a1).with_user(
            self.portal_client
        )
        with self.assertRaises(AccessError):
            others._lco_portal_reply("confirmed", "")
        own = self.attendee(self.meeting_a1, self.client_a1).with_user(
            self.portal_client
        )
        with self.assertRaises(AccessError):
            own.write({"status": "present"})
        with self.assertRaises(AccessError):
            own.write({"participant_id": others.participant_id.id})
        with self.assertRaisesText(UserError, "come"):
            own._lco_portal_reply("present", "")

    def test_report_on_own_agreement_notifies_coordinator(self):
        agreement = self.agreement_a1_aunt.with_user(self.portal_aunt)
        self.assertTrue(agreement.is_overdue)
        agreement._lco_portal_report("done", "Done every Tuesday")
        self.assertEqual(agreement.state, "done")
        # Written for her; read by who runs the case (an internal field).
        self.assertEqual(self.agreement_a1_aunt.outcome_note, "Done every Tuesday")
        message = self.agreement_a1_aunt.message_ids[:1]
        self.assertIn("Rita Aunt", message.body)
        self.assertIn(self.coordinator_a.partner_id, message.partner_ids)
        with self.assertRaisesText(UserError, "no longer open"):
            agreement._lco_portal_report("not_done", "")

    def test_report_only_on_own_agreement(self):
        with self.assertRaises(AccessError):
            self.agreement_a1_external.with_user(self.portal_aunt)._lco_portal_report(
                "done", ""
            )
        agreement = self.agreement_a1_aunt.with_user(self.portal_aunt)
        for values in ({"name": "Something else"}, {"state": "cancelled"}):
            with self.assertRaises(AccessError):
                agreement.write(values)

    def test_acknowledge_confidentiality(self):
        participant = self.ann_b1.with_user(self.portal_external)
        participant._lco_portal_acknowledge()
        # Her own day (in her time zone), not UTC's.
        self.assertEqual(
            self.ann_b1.confidentiality_ack_date, fields.Date.context_today(participant)
        )
        self.assertEqual(self.ann_b1.confidentiality_ack_method, "portal")
        # The consent gives her the work plan only: it stays so.
        self.assertEqual(
            self.case_b1.with_user(self.portal_external)._lco_portal_scope(),
            "work_plan",
        )
        with self.assertRaises(AccessError):
            self._participant(self.case_a1, self.aunt_a1).with_user(
                self.portal_external
            )._lco_portal_acknowledge()


@tagged("post_install", "-at_install")
class TestPortalHttp(LcoPortalCommon, HttpCase):
    """The same over HTTP, as a portal user in his browser."""

    def page(self, user, url):
        self.authenticate(user.login, user.login)
        return self.url_open(url)

    def post(self, url, page, **data):
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]
        return self.url_open(url, data={**data, "csrf_token": token})

    def test_home_counts_consultations(self):
        self.authenticate(self.portal_client.login, self.portal_client.login)
        home = self.url_open("/my")
        self.assertIn("My consultations", home.text)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["lco_case_count"]}
        )
        self.assertEqual(counters["lco_case_count"], 1)

    def test_list_shows_next_meeting_and_contacts(self):
        self.meeting_a1.with_user(self.coordinator_a).write(
            {"location": "OCMW A, room 2", "video_url": "https://meet.example.com/x"}
        )
        page = self.page(self.portal_client, "/my/lco")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Your consultation", page.text)
        self.assertIn("OCMW A, room 2", page.text)
        self.assertIn("https://meet.example.com/x", page.text)
        self.assertIn("Aid Worker A", page.text)  # the pivot figure
        self.assertIn("Coordinator A", page.text)
        self.assertNotIn("Bart Client", page.text)

    def test_case_page_shows_what_the_scope_allows(self):
        page = self.page(self.portal_client, f"/my/lco/{self.case_a1.id}")
        self.assertIn("Your question", page.text)
        self.assertIn("Find a home", page.text)
        self.assertIn("Housing", page.text)  # the agenda
        self.assertIn("Will you come?", page.text)
        # Ann reads the work plan only of case_b1, and is asked to acknowledge.
        page = self.page(self.portal_external, f"/my/lco/{self.case_b1.id}")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("Keep his job", page.text)
        self.assertIn("I acknowledge these rules", page.text)
        self.assertIn("Apply for social housing", page.text)  # the work plan
        log = self.env["lco.access.log"].search(
            [
                ("user_id", "=", self.portal_external.id),
                ("case_id", "=", self.case_b1.id),
            ]
        )
        self.assertEqual(log.action, "open")

    def test_the_pages_name_people_without_their_contact_details(self):
        """The names the pages read for everyone at the table (as sudo, in one
        query) bring nothing else of these people into the page: only the
        pivot figure's and the coordinator's work contacts are shown."""
        for user, url, named, private in (
            (
                self.portal_aunt,
                f"/my/lco/{self.case_a1.id}",
                ("Kim Client", "Ann External"),
                ("kim@example.com", "ann@caw.example.com"),
            ),
            (
                self.portal_aunt,
                "/my/lco",
                ("Kim Client",),
                ("kim@example.com", "ann@caw.example.com"),
            ),
            (
                self.portal_external,
                f"/my/lco/{self.case_b1.id}",
                ("Bart Client",),
                ("bart@example.com",),
            ),
        ):
            page = self.page(user, url)
            self.assertEqual(page.status_code, 200, url)
            for name in named:
                self.assertIn(name, page.text, url)
            for detail in private:
                self.assertNotIn(detail, page.text, url)

    def test_rpc_as_portal_user(self):
        self.authenticate(self.portal_aunt.login, self.portal_aunt.login)

        def call(model, method, *args, **kwargs):
            return self.make_jsonrpc_request(
                f"/web/dataset/call_kw/{model}/{method}",
                {"model": model, "method": method, "args": args, "kwargs": kwargs},
            )

        cases = call("lco.case", "search_read", [], fields=["name"])
        self.assertEqual([case["id"] for case in cases], self.case_a1.ids)
        for model, method, args, kwargs in (
            ("lco.case", "read", [self.case_a1.ids], {"fields": ["question"]}),
            ("lco.case", "read", [self.case_b1.ids], {"fields": ["name"]}),
            ("lco.request", "search_read", [[]], {"fields": ["name"]}),
            ("lco.consent", "search_read", [[]], {"fields": ["state"]}),
            ("lco.access.log", "search_read", [[]], {"fields": ["date"]}),
            (
                "lco.agreement",
                "write",
                [self.agreement_a1_external.ids, {"state": "done"}],
                {},
            ),
        ):
            with self.assertRaises(JsonRpcException, msg=f"{model}.{method}"):
                call(model, method, *args, **kwargs)
        self.assertEqual(self.agreement_a1_external.state, "open")

    def test_other_cases_do_not_open(self):
        for user, case in (
            (self.portal_client, self.case_a2),
            (self.portal_aunt, self.case_b1),
            (self.portal_client, self.case_b1),
        ):
            page = self.page(user, f"/my/lco/{case.id}")
            self.assertTrue(page.url.endswith("/my"), page.url)
            self.assertNotIn(case.client_id.name, page.text)

    def test_withdrawn_consent_closes_the_page(self):
        self.case_a1.consent_id.action_withdraw()
        page = self.page(self.portal_aunt, f"/my/lco/{self.case_a1.id}")
        self.assertTrue(page.url.endswith("/my"), page.url)
        self.assertNotIn("Find a home", page.text)

    def test_decline_with_practical_need(self):
        url = f"/my/lco/{self.case_a1.id}"
        page = self.page(self.portal_client, url)
        attendee = self.attendee(self.meeting_a1, self.client_a1)
        answer = self.post(
            f"/my/lco/attendance/{attendee.id}",
            page,
            status="excused",
            practical_needs="Transport: I have no car",
        )
        self.assertEqual(answer.status_code, 200)
        self.assertIn("your answer was sent", answer.text)
        self.assertEqual(attendee.status, "excused")
        self.assertEqual(attendee.practical_needs, "Transport: I have no car")
        # Someone else's invitation, or a made-up answer, changes nothing.
        other = self.attendee(self.meeting_a1, self.aunt_a1)
        self.post(f"/my/lco/attendance/{other.id}", page, status="excused")
        self.assertEqual(other.status, "invited")
        bad = self.post(f"/my/lco/attendance/{attendee.id}", page, status="present")
        self.assertEqual(bad.status_code, 400)
        self.assertEqual(attendee.status, "excused")

    def test_mark_agreement_done(self):
        page = self.page(self.portal_aunt, f"/my/lco/{self.case_a1.id}")
        self.assertIn("What you agreed to do", page.text)
        self.assertIn("Babysit on meeting days", page.text)
        self.assertIn("Overdue", page.text)
        answer = self.post(
            f"/my/lco/agreement/{self.agreement_a1_aunt.id}",
            page,
            state="not_done",
            note="I was ill",
        )
        self.assertIn("the coordinator was told", answer.text)
        self.assertEqual(self.agreement_a1_aunt.state, "not_done")
        self.assertEqual(self.agreement_a1_aunt.outcome_note, "I was ill")

    def test_acknowledge_in_one_click(self):
        page = self.page(self.portal_external, f"/my/lco/{self.case_b1.id}")
        answer = self.post(f"/my/lco/{self.case_b1.id}/acknowledge", page)
        self.assertIn("your acknowledgement was recorded", answer.text)
        self.assertNotIn("I acknowledge these rules", answer.text)
        self.assertEqual(self.ann_b1.confidentiality_ack_method, "portal")
