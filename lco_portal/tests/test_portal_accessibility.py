from odoo.tests import tagged

from odoo.addons.lco_module.tests import test_accessibility
from odoo.addons.lco_module.tests.common import skip_without_demo


@tagged("post_install", "-at_install")
class TestPortalAccessibility(test_accessibility.TestAccessibility):
    """The portal's pages and the evaluation link of the mail pass the same
    WCAG 2.1 A/AA and keyboard checks as the base's public pages."""

    # The base's own pages are tested by the base.
    test_public_pages = None

    def evaluation_url(self, evaluation):
        return f"/lco/evaluation/{evaluation.id}?access_token={evaluation.access_token}"

    def test_evaluation_links(self):
        for lang in ("nl_BE", "fr_BE"):
            self.lang = lang
            self.client_a1.lang = self.aunt_a1.lang = lang
            self.check(self.evaluation_url(self.eval_client))
            self.check(self.evaluation_url(self.eval_aunt))

    def test_client_portal(self):
        for lang in ("nl_BE", "fr_BE"):
            self.lang = self.portal_client.lang = lang
            for url in (
                "/my",
                "/my/lco",
                f"/my/lco/{self.case_a1.id}",
                f"/my/lco/consent/{self.asked.id}",
                f"/lco/evaluation/{self.eval_client.id}",
            ):
                self.check(url, login=self.portal_client.login)

    def test_outside_aid_worker_portal(self):
        for lang in ("nl_BE", "fr_BE"):
            self.lang = self.portal_external.lang = lang
            for url in ("/my", "/my/lco", f"/my/lco/{self.case_a1.id}"):
                self.check(url, login=self.portal_external.login)

    def test_aunt_with_an_overdue_agreement(self):
        """Rita's own agreement is overdue: its red badge stays readable."""
        for lang in ("nl_BE", "fr_BE"):
            self.lang = self.portal_aunt.lang = lang
            self.check(f"/my/lco/{self.case_a1.id}", login=self.portal_aunt.login)

    def test_demo_portal_users(self):
        """The demo's client and housing consultant on their own case, where
        the review measured a colour-contrast failure. Skipped only where
        lco_portal was installed without demo data (a production database);
        failing where its demo portal users are missing."""
        skip_without_demo(self, "lco_portal")
        users = [
            self.env.ref(f"lco_portal.user_portal_{name}")
            for name in ("client", "external")
        ]
        for user in users:
            cases = self.env["lco.case"].with_user(user).search([])
            for lang in ("nl_BE", "fr_BE"):
                self.lang = user.lang = lang
                for url in (
                    "/my",
                    "/my/lco",
                    *(f"/my/lco/{case.id}" for case in cases),
                ):
                    self.check(url, login=user.login)
