"""Issue 7: no organisation or employee reads or changes what is not his, around
the record rules of cases, participants and agreements."""

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import LcoCommon


@tagged("post_install", "-at_install")
class TestCaseSecurity(LcoCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pivot = cls._participant(cls.case_a1, cls.aid_worker_a.partner_id)
        cls.other_worker = cls._participant(cls.case_a1, cls.aid_worker2_a.partner_id)
        cls.aunt = cls._participant(cls.case_a1, cls.aunt_a1)
        cls.client = cls._participant(cls.case_a1, cls.client_a1)
        cls.outsider = cls.env["res.partner"].create(
            {"name": "Nosy Neighbour", "email": "nosy@example.com"}
        )

    def as_user(self, records, user):
        return records.with_user(user).with_company(user.company_id)

    # 5. Shared contacts of another organisation's case

    def test_other_organisation_cannot_change_a_participant_contact(self):
        external = self.external_worker.with_user(self.coordinator_b)
        # He may not read case_a1: nothing tells him there is a consultation.
        with self.assertRaisesText(
            AccessError, "ask whoever manages this contact"
        ) as e:
            external.write({"email": "attacker@example.com"})
        self.assertNotIn("consultation", str(e.exception))
        self.assertEqual(self.external_worker.email, "ann@caw.example.com")

    def test_colleague_not_running_the_case_cannot_change_a_participant(self):
        external = self.external_worker.with_user(self.coordinator2_a)
        with self.assertRaises(AccessError):
            external.phone = "+32 470 00 00 00"

    def test_coordinator_and_manager_of_the_case_change_a_participant(self):
        self.external_worker.with_user(self.coordinator_a).email = "ann@caw.example.org"
        self.external_worker.with_user(self.manager_a).phone = "+32 11 00 00 00"
        self.assertEqual(self.external_worker.email, "ann@caw.example.org")

    def test_contacts_outside_any_open_case_stay_editable(self):
        self.outsider.with_user(self.coordinator_b).email = "neighbour@example.com"
        self.case_a1._close(self.close_reason, "Goals reached")
        self.external_worker.with_user(self.coordinator_b).email = "ann@caw.be"
        self.assertEqual(self.external_worker.email, "ann@caw.be")

    def test_merging_a_participant_into_another_contact_is_refused(self):
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_user(self.coordinator_b)
            .create({})
        )
        own = self.env["res.partner"].create(
            {"name": "Ann External", "email": "x@y.be"}
        )
        with self.assertRaises(AccessError):
            wizard._merge([self.external_worker.id, own.id], own)
        self.assertTrue(self.external_worker.exists())

    # 6. Notifications and messages

    def test_notifications_of_an_agreement_stay_with_their_recipients(self):
        agreement = self.agreement_a1_external
        message = agreement.with_user(self.coordinator_a).message_post(
            body="Budgetplan opstellen?",
            partner_ids=self.pivot.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        domain = [("mail_message_id", "=", message.id)]
        Notification = self.env["mail.notification"]
        self.assertTrue(Notification.with_user(self.aid_worker_a).search(domain))
        for user in (self.employee_a, self.aid_worker_b, self.coordinator_b):
            self.assertFalse(Notification.with_user(user).search(domain), user.login)

    def test_followers_of_a_case_are_listed_only_to_who_reads_the_case(self):
        self.case_a1.message_subscribe(partner_ids=self.aunt_a1.ids)
        domain = [("res_model", "=", "lco.case"), ("res_id", "=", self.case_a1.id)]
        Followers = self.env["mail.followers"]
        self.assertIn(
            self.aunt_a1,
            Followers.with_user(self.coordinator_a).search(domain).partner_id,
        )
        for user in (self.employee_a, self.coordinator2_a, self.coordinator_b):
            self.assertFalse(Followers.with_user(user).search(domain), user.login)
        partner_followers = [("res_model", "=", "res.partner")]
        self.assertEqual(
            Followers.with_user(self.employee_a).search_count(partner_followers),
            Followers.search_count(partner_followers),
        )

    def test_chatter_of_a_case_shows_the_notifications_of_colleagues(self):
        message = self.case_a1.with_user(self.coordinator_a).message_post(
            body="Next meeting moved",
            partner_ids=(self.aid_worker_a | self.aid_worker2_a).partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        as_colleague = message.with_user(self.aid_worker2_a)
        # The two addressed, and the followers the consent covers (issue 22).
        self.assertEqual(
            as_colleague.notification_ids.res_partner_id,
            message.sudo().notification_ids.res_partner_id,
        )
        self.assertGreaterEqual(len(as_colleague.notification_ids), 2)
        self.assertTrue(as_colleague.notification_ids.mapped("notification_status"))

    def test_participant_cannot_message_outsiders_about_an_agreement(self):
        agreement = self.agreement_a1_aid_worker.with_user(self.aid_worker_a)
        with self.assertRaisesText(UserError, "Only the people taking part"):
            agreement.message_post(body="Look at this", partner_ids=self.outsider.ids)
        with self.assertRaisesText(UserError, "Only the people taking part"):
            agreement.message_subscribe(partner_ids=self.outsider.ids)
        self.assertNotIn(self.outsider, agreement.sudo().message_partner_ids)
        agreement.message_post(body="For you", partner_ids=self.aunt_a1.ids)

    def test_coordinator_cannot_message_outsiders_about_a_case(self):
        case = self.case_a1.with_user(self.coordinator_a)
        with self.assertRaises(UserError):
            case.message_post(body="FYI", partner_ids=self.outsider.ids)
        with self.assertRaises(UserError):
            case.message_subscribe(partner_ids=self.outsider.ids)

    # 7. States move only through their actions and checks

    def test_case_state_cannot_be_forged(self):
        draft = self.as_user(self.case_a2, self.coordinator2_a)
        draft.consent_id.action_withdraw()
        with self.assertRaisesText(UserError, "without the client's consent"):
            draft.write({"state": "active"})
        with self.assertRaisesText(UserError, "Only an active case can be closed"):
            draft.write(
                {
                    "state": "closed",
                    "close_reason_id": self.close_reason.id,
                    "close_note": "x",
                }
            )
        active = self.as_user(self.case_a1, self.coordinator_a)
        with self.assertRaisesText(UserError, "reason for closing"):
            active.write({"state": "closed"})
        for vals in (
            {"name": "LCO/1999/0001"},
            {"date_closed": fields.Date.today()},
            {"close_note": "rewritten"},
            {"close_reason_id": self.close_reason.id},
        ):
            with self.assertRaises(UserError):
                active.write(vals)
        self.assertEqual(self.case_a1.state, "active")

    def test_closed_case_cannot_be_reopened(self):
        case = self.as_user(self.case_a1, self.coordinator_a)
        case._close(self.close_reason, "Goals reached")
        self.assertEqual(case.date_closed, fields.Date.context_today(case))
        for state in ("active", "draft", "cancelled"):
            with self.assertRaises(UserError):
                case.write({"state": state})
        with self.assertRaises(UserError):
            case.write({"close_note": "Something else"})

    def test_case_cannot_be_created_active_or_with_a_number(self):
        Case = self.env["lco.case"].with_user(self.coordinator_a)
        with self.assertRaises(UserError):
            Case.create({"client_id": self.client_a3.id, "state": "active"})
        case = Case.create({"client_id": self.client_a3.id, "name": "LCO/1999/9"})
        self.assertNotEqual(case.name, "LCO/1999/9")

    def test_close_wizard_only_closes_active_cases_the_user_runs(self):
        Wizard = self.env["lco.case.close"].with_user(self.coordinator_a)
        values = {"close_reason_id": self.close_reason.id, "close_note": "x"}
        with self.assertRaises(UserError):
            Wizard.create({**values, "case_ids": [Command.set(self.case_a2.ids)]})
        draft = (
            self.env["lco.case"]
            .with_user(self.coordinator_a)
            .create({"client_id": self.client_a3.id})
        )
        with self.assertRaisesText(UserError, "Only an active case can be closed"):
            Wizard.create({**values, "case_ids": [Command.set(draft.ids)]})
        foreign = self.env["lco.case.close"].with_user(self.coordinator_b)
        with self.assertRaises(UserError):
            foreign.create({**values, "case_ids": [Command.set(self.case_a1.ids)]})
        self.assertEqual(self.case_a1.state, "active")

    # 9. One pivot figure

    def test_pivot_flag_chooses_the_case_pivot(self):
        other = self.other_worker.with_user(self.coordinator_a)
        other.is_pivot = True
        self.assertEqual(self.case_a1.pivot_id, self.other_worker)
        self.assertFalse(self.pivot.is_pivot)
        self.assertEqual(
            self.case_a1.participant_ids.filtered("is_pivot"), self.other_worker
        )

    def test_pivot_flag_cannot_make_two_pivots_or_the_client(self):
        both = (self.pivot | self.other_worker).with_user(self.coordinator_a)
        with self.assertRaisesText(ValidationError, "has one pivot figure"):
            both.write({"is_pivot": True})
        with self.assertRaises(ValidationError):
            self.client.with_user(self.coordinator_a).is_pivot = True
        with self.assertRaisesText(ValidationError, "needs a pivot figure"):
            self.pivot.with_user(self.coordinator_a).is_pivot = False
        self.assertEqual(self.case_a1.pivot_id, self.pivot)

    # 10. Hand-over

    def test_coordinator_hands_a_case_over_to_a_colleague(self):
        case = self.as_user(self.case_a1, self.coordinator_a)
        case.coordinator_id = self.coordinator2_a
        self.flush_tracking()
        self.assertEqual(self.case_a1.coordinator_id, self.coordinator2_a)
        self.assertFalse(case.has_access("read"))
        tracked = self.case_a1.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "coordinator_id"
        )
        self.assertEqual(tracked.new_value_char, self.coordinator2_a.name)

    def test_hand_over_to_a_participant_or_a_plain_user_is_refused(self):
        case = self.as_user(self.case_a2, self.coordinator2_a)
        with self.assertRaisesText(ValidationError, "cannot also coordinate"):
            case.coordinator_id = self.coordinator_a
        manager_view = self.as_user(self.case_a1, self.manager_a)
        with self.assertRaisesText(ValidationError, "only a user of the Coordinator"):
            manager_view.coordinator_id = self.employee_a
        self.assertEqual(self.case_a1.coordinator_id, self.coordinator_a)

    # 11. Deleting a case

    def test_deleting_a_case_removes_the_activities_of_its_agreements(self):
        case = self.case_a3
        agreement = case.agreement_ids
        agreement.responsible_id = self._participant(case, self.client_a3)
        self.env["mail.activity"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("lco.agreement"),
                "res_id": agreement.id,
                "user_id": self.aid_worker_a.id,
                "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
            }
        )
        case.with_user(self.manager_a).unlink()
        self.assertFalse(
            self.env["mail.activity"].search(
                [("res_model", "=", "lco.agreement"), ("res_id", "=", agreement.id)]
            )
        )

    # 13. Bad input gets a clear message

    def test_bad_values_get_clear_messages(self):
        case = self.as_user(self.case_a1, self.coordinator_a)
        for vals, text in (
            ({"state": "bogus"}, "bogus"),
            ({"date_requested": "yesterday"}, "is not a valid value for Requested On"),
            ({"color": "red"}, "is not a valid value for Color"),
            ({"color": 2**40}, "is not a valid value for Color"),
            ({"client_id": "Kim"}, "is not a valid value for Client"),
            ({"client_id": 999999999}, "does not exist or you may not use it"),
            ({"client_id": self.client_b1.id}, "does not exist or you may not use it"),
            ({"no_such_field": 1}, "is not a field of"),
        ):
            with self.subTest(vals=vals), self.assertRaisesText(UserError, text):
                case.write(vals)

    def test_foreign_ids_answer_like_missing_ones(self):
        Agreement = self.env["lco.agreement"].with_user(self.coordinator_b)
        messages = set()
        for case_id in (self.case_a1.id, 999999999):
            with self.assertRaises(ValidationError) as caught:
                Agreement.create(
                    {"case_id": case_id, "name": "x", "responsible_id": 999999999}
                )
            messages.add(str(caught.exception))
        self.assertEqual(len(messages), 1)

    # 14. Buttons answer something XML-RPC can send

    def test_case_buttons_return_a_value(self):
        case = self.as_user(self.case_a3, self.coordinator2_a)
        self.assertIs(case.action_cancel(), True)
        self.assertIs(case.action_reset_draft(), True)
        case.pivot_id = False
        self.env["lco.participant"].with_user(self.coordinator2_a).create(
            {
                "case_id": case.id,
                "partner_id": self.external_worker.id,
                "is_pivot": True,
            }
        )
        self.assertIs(case.action_activate(), True)
        self.assertTrue(case.action_open_close_wizard())

    def test_participants_and_agreements_stay_in_their_case(self):
        coordinator = self.coordinator2_a
        participant = self._participant(self.case_a3, self.client_a3)
        with self.assertRaisesText(UserError, "never changes"):
            participant.with_user(coordinator).case_id = self.case_a2
        agreement = self.case_a3.agreement_ids.with_user(coordinator)
        with self.assertRaisesText(UserError, "never changes"):
            agreement.case_id = self.case_a2
        agreement.case_id = self.case_a3
        self.assertEqual(participant.case_id, self.case_a3)
