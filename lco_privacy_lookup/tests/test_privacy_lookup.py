from odoo.tests import new_test_user, tagged

from odoo.addons.lco_module.tests.common import LcoCommon

LCO_MODELS = {
    "lco.case",
    "lco.request",
    "lco.participant",
    "lco.consent",
    "lco.consent.line",
    "lco.meeting",
    "lco.meeting.attendee",
    "lco.agreement",
}


@tagged("post_install", "-at_install")
class TestPrivacyLookup(LcoCommon):
    """Issue 10: a privacy officer's lookup (Odoo's privacy_lookup) finds the
    client consultation's records about a person too."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer = new_test_user(
            cls.env,
            login="privacy_officer",
            groups="base.group_system",
            name="Privacy Officer",
            company_id=cls.company_a.id,
        )
        cls.client_a1.email = "kim.client@example.com"
        Request = cls.env["lco.request"]
        values = {
            "company_id": cls.company_a.id,
            "client_zip": "3990",
            "question": "Kim needs a home.",
            "client_informed": True,
            "client_agrees": True,
        }
        # Kim named only in text, as the public form records a request.
        cls.request_by_name = Request.create({**values, "client_name": "kim client"})
        cls.request_by_email = Request.create(
            {
                **values,
                "client_name": "K. Client",
                "client_email": "Kim.Client@example.com",
            }
        )
        cls.request_by_kim = Request.create(
            {
                **values,
                "client_name": "Jonas Client",
                "requester_name": "Kim Client",
            }
        )
        cls.request_other = Request.create({**values, "client_name": "Jonas Client"})

    def lookup(self, name, email):
        wizard = (
            self.env["privacy.lookup.wizard"]
            .with_user(self.officer)
            .create({"name": name, "email": email})
        )
        wizard.action_lookup()
        found = [(line.res_model, line.res_id) for line in wizard.line_ids]
        self.assertEqual(len(found), len(set(found)), "each record is listed once")
        self.assertEqual(found[0][0], "res.partner", "his contact first, as in Odoo")
        return {
            model: self.env[model].browse(
                [res_id for res_model, res_id in found if res_model == model]
            )
            for model in {res_model for res_model, _res_id in found} | LCO_MODELS
        }

    def test_lookup_of_a_client_finds_his_lco_records(self):
        found = self.lookup("Kim Client", "kim.client@example.com")
        self.assertEqual(found["res.partner"], self.client_a1)
        self.assertEqual(found["lco.case"], self.case_a1)
        self.assertEqual(
            found["lco.request"],
            self.request_by_name | self.request_by_email | self.request_by_kim,
            "requests naming him only as text are found",
        )
        self.assertEqual(
            found["lco.participant"], self._participant(self.case_a1, self.client_a1)
        )
        self.assertEqual(found["lco.consent"], self.case_a1.consent_ids)
        self.assertEqual(found["lco.meeting"], self.case_a1.meeting_ids)
        self.assertEqual(found["lco.agreement"], self.case_a1.agreement_ids)
        attended = self.case_a1.meeting_ids.attendee_ids.filtered(
            lambda attendee: attendee.partner_id == self.client_a1
        )
        self.assertTrue(attended)
        self.assertEqual(found["lco.meeting.attendee"], attended)
        # Nothing of another client.
        for model in LCO_MODELS - {"lco.case", "lco.request"}:
            self.assertTrue(found[model].case_id <= self.case_a1, model)

    def test_lookup_of_a_participant_finds_what_reaches_him(self):
        self.aunt_a1.email = "rita@example.com"
        found = self.lookup("Rita Aunt", "rita@example.com")
        aunt = self._participant(self.case_a1, self.aunt_a1)
        self.assertEqual(found["lco.participant"], aunt)
        self.assertEqual(
            found["lco.consent.line"],
            self.case_a1.consent_ids.line_ids.filtered(
                lambda line: line.participant_id == aunt
            ),
        )
        self.assertTrue(found["lco.consent.line"], "the consent covers her")
        self.assertEqual(found["lco.meeting.attendee"].participant_id, aunt)
        self.assertFalse(found["lco.case"], "not her case: she is not its client")
        self.assertFalse(found["lco.consent"] or found["lco.meeting"])
        self.assertFalse(found["lco.request"])

    def test_officer_opens_only_what_he_may_read(self):
        wizard = (
            self.env["privacy.lookup.wizard"]
            .with_user(self.officer)
            .create({"name": "Kim Client", "email": "kim.client@example.com"})
        )
        wizard.action_lookup()
        case_line = wizard.line_ids.filtered(lambda line: line.res_model == "lco.case")
        self.assertEqual(case_line.res_name, self.case_a1.display_name)
        self.assertFalse(
            case_line.resource_ref, "an administrator outside the LCO groups"
        )
        self.officer.groups_id += self.env.ref("lco_module.group_lco_manager")
        case_line.invalidate_recordset(["resource_ref"])
        self.assertEqual(case_line.resource_ref, self.case_a1)
