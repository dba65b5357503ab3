from datetime import date

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, tagged

from .common_request import LcoRequestCommon


@tagged("post_install", "-at_install")
class TestRequestFlow(LcoRequestCommon):
    """From the request of an aid worker to the coordinator's decision."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sarah = cls.env["res.partner"].create(
            {
                "name": "Sarah Test",
                "lco_birthdate": date(1990, 5, 17),
                "phone": "+32 470 12 34 56",
                "zip": "9901",
                "company_id": cls.company_a.id,
            }
        )

    def _accept_wizard(self, request, **choices):
        action = request.action_accept()
        wizard = Form(
            request.env[action["res_model"]].with_context(**action["context"])
        )
        for name, value in choices.items():
            setattr(wizard, name, value)
        return wizard

    def _decision_wizard(self, request, action_name, reason, send_mail=True):
        action = getattr(request, action_name)()
        wizard = Form(
            request.env[action["res_model"]].with_context(**action["context"])
        )
        wizard.reason = reason
        wizard.send_mail = send_mail
        return wizard.save()

    def _mails_of(self, request):
        return self.env["mail.mail"].search(
            [("model", "=", "lco.request"), ("res_id", "=", request.id)]
        )

    def test_internal_form_is_prefilled_with_the_requester(self):
        with Form(self.env["lco.request"].with_user(self.aid_worker_a)) as form:
            self.assertEqual(form.requester_name, self.aid_worker_a.name)
            self.assertEqual(form.requester_email, self.aid_worker_a.email)
            self.assertEqual(form.requester_type, "professional")
            form.client_id = self.sarah
            self.assertEqual(form.client_name, "Sarah Test")
            self.assertEqual(form.client_zip, "9901")
            self.assertEqual(form.client_birthdate, date(1990, 5, 17))
            form.question = "Sarah wants to keep her flat."
            form.life_domain_ids.add(self.life_domain_housing)
            form.client_informed = True
            form.client_agrees = True
        request = form.record
        self.assertEqual(request.state, "new")
        self.assertEqual(request.channel, "internal")
        self.assertEqual(request.requester_user_id, self.aid_worker_a)
        self.assertEqual(request.requester_partner_id, self.aid_worker_a.partner_id)
        self.assertEqual(request.company_id, self.company_a)
        self.assertTrue(request.name.startswith("AANV/"))

    def test_internal_form_takes_a_typed_client(self):
        with Form(self.env["lco.request"].with_user(self.aid_worker_a)) as form:
            form.client_name = "Tom Nieuw"
            form.client_zip = "9903"
            form.client_phone = "0470 99 88 77"
            form.question = "Tom sleeps at friends' places and wants a home."
            form.client_informed = True
            form.client_agrees = True
        self.assertFalse(form.record.client_id)
        self.assertEqual(form.record.client_name, "Tom Nieuw")
        self.assertEqual(form.record.company_id, self.company_b)

    def test_request_needs_the_client_to_know_and_agree(self):
        for missing in ("client_informed", "client_agrees"):
            with self.subTest(missing=missing), self.assertRaises(ValidationError):
                self._request(**{missing: False})

    def test_request_rejects_a_bad_email_address(self):
        with self.assertRaises(ValidationError):
            self._request(client_email="sarah at home")

    def test_routing_by_postcode_and_fallback(self):
        self.assertEqual(self._request(client_zip="9902").company_id, self.company_a)
        to_b = self._request(client_zip="99 03")
        self.assertEqual(to_b.company_id, self.company_b)
        self.assertFalse(to_b.is_unrouted)
        unrouted = self._request(client_zip="1000")
        self.assertEqual(unrouted.company_id, self.company_a)
        self.assertTrue(unrouted.is_unrouted)

        self.env["ir.config_parameter"].set_param(
            "lco_module.request_default_company_id", self.company_b.id
        )
        self.assertEqual(self._request(client_zip="1000").company_id, self.company_b)

    def test_coordinators_of_the_organisation_hear_of_a_new_request(self):
        self.coordinator_a.write(
            {"notification_type": "email", "email": "coordinator.a@example.org"}
        )
        request = self._request()
        notified = request.sudo().message_ids.notified_partner_ids
        # An internal notice: the requester does not read it, nor its recipients.
        request.invalidate_recordset(["message_ids"])
        self.assertNotIn("A new request", " ".join(request.message_ids.mapped("body")))
        self.assertIn(self.coordinator_a.partner_id, notified)
        self.assertIn(self.manager_a.partner_id, notified)
        self.assertNotIn(self.coordinator_b.partner_id, notified)
        self.assertNotIn(self.aid_worker2_a.partner_id, notified)
        # Its mails wait in the mail queue: the requester's form does not
        # wait for the mail server.
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search(
                [
                    ("mail_message_id.model", "=", "lco.request"),
                    ("mail_message_id.res_id", "=", request.id),
                ]
            )
        )
        self.assertTrue(mails)
        self.assertEqual(set(mails.mapped("state")), {"outgoing"})

    def test_coordinator_takes_a_request_in(self):
        request = self._request().with_user(self.coordinator_a)
        request.action_take()
        self.assertEqual(request.state, "in_review")
        self.assertEqual(request.user_id, self.coordinator_a)

    def test_an_aid_worker_neither_takes_in_nor_decides(self):
        request = self._request()
        with self.assertRaises(AccessError):
            request.action_take()
        with self.assertRaises(AccessError):
            request.write({"state": "accepted"})
        with self.assertRaises(AccessError):
            self._request(state="accepted")

    def test_accept_opens_a_case_with_a_new_client_contact(self):
        request = self._taken(
            self._request(client_name="Nina Nieuw", client_birthdate=date(2001, 2, 3))
        )
        wizard = self._accept_wizard(request)
        self.assertEqual(wizard.client_choice, "new")
        wizard.reason = "Five services, no common plan; Nina wants one table."
        wizard.save().action_accept()

        case = request.case_id
        self.assertEqual(request.state, "accepted")
        self.assertEqual(
            request.decision_reason,
            "Five services, no common plan; Nina wants one table.",
        )
        self.assertEqual(case.company_id, self.company_a)
        self.assertEqual(case.coordinator_id, self.coordinator_a)
        self.assertEqual(case.client_id.name, "Nina Nieuw")
        self.assertEqual(case.client_id.lco_birthdate, date(2001, 2, 3))
        self.assertEqual(case.client_id.company_id, self.company_a)
        self.assertEqual(request.client_id, case.client_id)
        self.assertEqual(case.question, request.question)
        self.assertEqual(case.life_domain_ids, self.life_domain_housing | self.finances)
        self.assertEqual(
            {(p.partner_id, p.role) for p in case.participant_ids},
            {
                (case.client_id, "client"),
                (self.aid_worker_a.partner_id, "professional"),
            },
        )

    def test_accept_needs_the_intake_questions_answered(self):
        request = self._taken(self._request(), intake_room_to_choose=False)
        with self.assertRaisesRegex(UserError, "Room to Choose"):
            request._accept(None, "Good reasons")
        self.assertEqual(request.state, "in_review")

    def test_every_decision_needs_a_reason(self):
        request = self._taken(self._request())
        with self.assertRaises(UserError):
            request._accept(None, "  ")
        for decision in ("declined", "redirected"):
            with self.subTest(decision=decision), self.assertRaises(UserError):
                request._decide(decision, "")
        self.assertEqual(request.state, "in_review")

    def test_client_is_matched_by_name_with_birth_date_email_or_phone(self):
        cases = {
            "birth date": {"client_birthdate": date(1990, 5, 17)},
            "phone": {"client_phone": "0470 12 34 56"},
        }
        for what, values in cases.items():
            with self.subTest(what=what):
                request = self._request(client_name="sarah  test", **values)
                self.assertEqual(
                    request.with_user(self.coordinator_a).match_partner_ids, self.sarah
                )
        self.sarah.email = "sarah@example.com"
        by_email = self._request(client_email="Sarah@Example.com")
        self.assertEqual(
            by_email.with_user(self.coordinator_a).match_partner_ids, self.sarah
        )

        namesake = self._request(client_birthdate=date(1985, 1, 1))
        self.assertFalse(namesake.with_user(self.coordinator_a).match_partner_ids)
        elsewhere = self._request(client_zip="9903", client_birthdate=date(1990, 5, 17))
        self.assertFalse(elsewhere.with_user(self.coordinator_b).match_partner_ids)

    def test_coordinator_chooses_the_matching_contact(self):
        request = self._taken(self._request(client_birthdate=date(1990, 5, 17)))
        partners_before = self.env["res.partner"].search_count([])
        wizard = self._accept_wizard(request)
        self.assertEqual(wizard.client_choice, "existing")
        self.assertEqual(wizard.partner_id, self.sarah)
        wizard.reason = "The client asks for it herself."
        wizard.save().action_accept()
        self.assertEqual(request.case_id.client_id, self.sarah)
        self.assertEqual(self.env["res.partner"].search_count([]), partners_before)

    def test_coordinator_creates_a_new_contact_despite_a_match(self):
        request = self._taken(self._request(client_birthdate=date(1990, 5, 17)))
        wizard = self._accept_wizard(request, client_choice="new")
        wizard.reason = "Another Sarah Test: she moved here last month."
        wizard.save().action_accept()
        self.assertNotEqual(request.case_id.client_id, self.sarah)
        self.assertEqual(request.case_id.client_id.name, "Sarah Test")

    def test_request_of_a_client_with_an_open_case_is_flagged_and_linked(self):
        case = (
            self.env["lco.case"]
            .with_user(self.coordinator_a)
            .create({"client_id": self.sarah.id, "company_id": self.company_a.id})
        )
        case.life_domain_line_ids = [Command.create({"life_domain_id": self.health.id})]
        request = self._request(client_id=self.sarah.id)
        self.assertEqual(request.with_user(self.coordinator_a).open_case_id, case)
        typed = self._request(client_phone="+32470123456")
        self.assertEqual(typed.with_user(self.coordinator_a).open_case_id, case)

        request = self._taken(request)
        wizard = self._accept_wizard(request)
        self.assertEqual(wizard.open_case_id, case)
        wizard.reason = "A new question in the running trajectory."
        wizard.save().action_accept()

        self.assertEqual(request.case_id, case)
        self.assertEqual(
            self.env["lco.case"].search_count([("client_id", "=", self.sarah.id)]), 1
        )
        self.assertEqual(
            case.life_domain_ids, self.health | self.life_domain_housing | self.finances
        )
        self.assertIn(self.aid_worker_a.partner_id, case.participant_ids.partner_id)
        self.assertTrue(any(request.name in m.body for m in case.message_ids))

    def test_open_case_of_a_colleague_is_not_joined_behind_his_back(self):
        case = (
            self.env["lco.case"]
            .with_user(self.coordinator2_a)
            .create({"client_id": self.sarah.id, "company_id": self.company_a.id})
        )
        request = self._taken(self._request(client_id=self.sarah.id))
        with self.assertRaisesRegex(UserError, case.name):
            request._accept(self.sarah, "Same client")
        self.assertEqual(request.state, "in_review")

    def test_requester_from_the_web_joins_the_case_as_new_contact(self):
        # Stored as the public form stores it.
        request = self.env["lco.request"].create(
            self._request_values(
                channel="web",
                requester_type="network",
                requester_user_id=False,
                requester_partner_id=False,
                requester_name="Rita Buur",
                requester_email="rita@example.com",
                requester_organisation=False,
            )
        )
        request = self._taken(request)
        request._accept(None, "Rita and Sarah asked together.")
        rita = request.requester_partner_id
        self.assertEqual(rita.name, "Rita Buur")
        self.assertEqual(rita.email, "rita@example.com")
        self.assertEqual(rita.company_id, self.company_a)
        participant = request.case_id.participant_ids.filtered(
            lambda p: p.partner_id == rita
        )
        self.assertEqual(participant.role, "network")

    def test_client_asking_himself_is_only_the_client_of_the_case(self):
        request = self._request(
            user=self.coordinator_a,
            channel="phone",
            requester_type="client",
            requester_partner_id=False,
            requester_name="Sarah Test",
        )
        request = self._taken(request)
        case = request._accept(None, "Sarah called herself.")
        self.assertEqual(case.participant_ids.partner_id, case.client_id)

    def test_decline_records_the_reason_and_mails_the_requester(self):
        request = self._taken(self._request(requester_lang="en_US"))
        reason = "A talk between Sarah and <b>her</b> social worker comes first."
        self._decision_wizard(request, "action_decline", reason).action_confirm()
        self.assertEqual(request.state, "declined")
        self.assertEqual(request.decision_reason, reason)
        self.assertEqual(request.date_decided.date(), fields.Date.today())
        [mail] = self._mails_of(request).filtered("email_to")
        self.assertEqual(mail.email_to, self.aid_worker_a.email)
        self.assertIn(
            "A talk between Sarah and &lt;b&gt;her&lt;/b&gt; social", mail.body_html
        )
        self.assertIn("not the right answer now", mail.body_html)

    def test_redirect_without_mail(self):
        request = self._request()
        request = request.with_user(self.coordinator_a)
        action = request.action_redirect()
        wizard = Form(
            request.env[action["res_model"]].with_context(**action["context"])
        )
        wizard.reason = "First the OCMW of her new municipality."
        wizard.redirected_to = "OCMW Nieuwdorp"
        wizard.send_mail = False
        wizard.save().action_confirm()
        self.assertEqual(request.state, "redirected")
        self.assertEqual(request.user_id, self.coordinator_a)
        self.assertFalse(self._mails_of(request).filtered("email_to"))

    def test_decided_request_is_not_decided_again(self):
        request = self._taken(self._request())
        request._decide("declined", "Not now.")
        with self.assertRaises(UserError):
            request._decide("redirected", "Elsewhere after all.")
        with self.assertRaises(UserError):
            request.action_accept()
        with self.assertRaises(UserError):
            request.action_take()

    def test_the_requester_hears_the_decision_in_his_chatter(self):
        request = self._request()
        # Changes in the transaction that created a record are not tracked.
        self.flush_tracking()
        request = self._taken(request)
        request._decide("redirected", "First a bilateral talk.")
        self.flush_tracking()
        decided = request.sudo().message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("lco_module.mt_lco_request_decided")
        )
        self.assertIn(self.aid_worker_a.partner_id, decided.notified_partner_ids)


@tagged("post_install", "-at_install")
class TestRequestIntakeTour(LcoRequestCommon, HttpCase):
    def test_coordinator_accepts_a_request_in_the_web_client(self):
        request = self._request(client_name="Tour Client")
        self.start_tour(
            "/odoo/action-lco_module.action_lco_request",
            "lco_request_intake_tour",
            login=self.coordinator_a.login,
        )
        self.assertEqual(request.state, "accepted")
        self.assertEqual(request.case_id.client_id.name, "Tour Client")
        self.assertEqual(request.case_id.coordinator_id, self.coordinator_a)
        self.assertEqual(request.sudo().intake_room_to_choose, "unsure")
