from odoo.tests import HttpCase, tagged

from odoo.addons.lco_module.tests.common_portal import LcoPortalCommon


@tagged("post_install", "-at_install")
class TestPortalTwoOrganisations(LcoPortalCommon, HttpCase):
    """Ann, an outside aid worker, takes part in case_a1 of OCMW A and case_b1
    of OCMW B: her portal shows both, whichever company the request comes with.
    With Website installed, Odoo narrows every request of the website to the
    website's company; tests/test_website.py runs this class in a database
    with Website."""

    def test_list_and_count_show_both_organisations(self):
        self.authenticate(self.portal_external.login, self.portal_external.login)
        page = self.url_open("/my/lco")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.case_a1.name, page.text)
        self.assertIn(self.case_b1.name, page.text)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["lco_case_count"]}
        )
        self.assertEqual(counters["lco_case_count"], 2)

    def test_case_of_each_organisation_opens(self):
        self.authenticate(self.portal_external.login, self.portal_external.login)
        for case in (self.case_a1, self.case_b1):
            page = self.url_open(f"/my/lco/{case.id}", allow_redirects=False)
            self.assertEqual(page.status_code, 200, case.name)
            self.assertIn(case.name, page.text)
