from odoo import Command
from odoo.tests import tagged

from odoo.addons.lco_module.tests import test_security_cases
from odoo.addons.lco_module.tests.test_security_cases import (
    MEMBER_MODELS,
    LcoCaseSecurityCommon,
)

# What a portal user reads of his cases (he has no list view).
PORTAL_SPECIFICATION = {
    "name": {},
    "state": {},
    "date_requested": {},
    "client_name": {},
    "company_id": {"fields": {"display_name": {}}},
}


@tagged("post_install", "-at_install")
class TestPortalMembership(LcoCaseSecurityCommon):
    """Who the portal rules let into a case is stored on it
    (lco_portal_partner_ids) and follows the consent at once."""

    def test_a_withdrawn_consent_takes_the_portal_access_away(self):
        self.assertTrue(self._sees(self.portal_aunt, self.case_a1))
        self.assertTrue(self._sees(self.portal_client, self.case_a1))
        self.case_a1.consent_id.with_user(self.coordinator_a).action_withdraw()
        self.assertFalse(self._sees(self.portal_aunt, self.case_a1))
        self.assertFalse(
            self.env["lco.agreement"]
            .with_user(self.portal_aunt)
            .search_count([("case_id", "=", self.case_a1.id)])
        )
        # The client keeps his own case.
        self.assertTrue(self._sees(self.portal_client, self.case_a1))

    def test_a_new_consent_covers_whom_its_lines_name(self):
        case = self.case_a1.with_user(self.coordinator_a)
        aunt = self._participant(self.case_a1, self.aunt_a1)
        consent = (
            self.env["lco.consent"]
            .with_user(self.coordinator_a)
            .create(
                {
                    "case_id": case.id,
                    "date_given": self.today,
                    "line_ids": [
                        Command.create(
                            {"participant_id": participant.id, "scope": "full"}
                        )
                        for participant in case.participant_ids
                        if participant.role != "client" and participant != aunt
                    ],
                }
            )
        )
        self.assertTrue(self._sees(self.portal_aunt, self.case_a1))
        consent.action_give()
        self.assertFalse(self._sees(self.portal_aunt, self.case_a1))
        self.assertTrue(self._sees(self.portal_client, self.case_a1))

    def test_a_read_domain_is_one_condition_without_or(self):
        """No OR between the membership and another condition: PostgreSQL
        reads the index of the relation table (partner, case)."""
        for model in MEMBER_MODELS:
            if model == "lco.agreement":
                # The portal reads the work plan as the consent allows.
                continue
            with self.subTest(model=model):
                query = self.env[model].with_user(self.portal_client)._search([])
                code = query.select().code
                self.assertNotIn(" OR ", code.upper())
                self.assertIn("lco_case_portal_partner_rel", code)


@tagged("post_install", "-at_install", "is_query_count")
class TestPortalCaseListQueries(test_security_cases.TestCaseListQueries):
    """A portal user's case list costs the same at 80 and at 800 cases."""

    def _list_users(self):
        return ((self.portal_few, self.portal_many, PORTAL_SPECIFICATION),)
