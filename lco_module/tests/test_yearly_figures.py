from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common_request import LcoRequestCommon


@tagged("post_install", "-at_install")
class TestYearlyFigures(LcoRequestCommon):
    def wizard(self, user, companies, year):
        return (
            self.env["lco.yearly.figures.wizard"]
            .with_user(user)
            .create({"year": year, "company_ids": [Command.set(companies.ids)]})
        )

    def render(self, user, companies, year):
        action = self.wizard(user, companies, year).action_print()
        return (
            self.env["ir.actions.report"]
            .with_user(user)
            ._render_qweb_html(
                "lco_module.action_report_lco_yearly_figures",
                action["context"]["active_ids"],
            )[0]
            .decode()
        )

    def figures(self, user, companies, year):
        values = (
            self.env["report.lco_module.report_lco_yearly_figures"]
            .with_user(user)
            ._get_report_values(self.wizard(user, companies, year).ids)
        )
        return {
            name: {
                label: (prev, cur) for _, rows in sections for label, prev, cur in rows
            }
            for name, sections in values["scopes"]
        }

    def test_this_year_beside_the_year_before(self):
        year = self.today.year
        self._request(channel="phone")
        figures = self.figures(self.manager_a, self.company_a, year)["OCMW A"]
        self.assertEqual(figures["Requests received"], ("0", "1"))
        self.assertEqual(figures["Received by Phone"], ("0", "1"))
        self.assertEqual(figures["Cases opened"], ("0", "3"), "the three cases of A")
        self.assertEqual(figures["Cases still open at the end of the year"], ("0", "1"))
        self.assertEqual(figures["… of which coordinated by Coordinator A"], ("0", "1"))
        # Last year's report shows this year as its "year before" column.
        last_year = self.figures(self.manager_a, self.company_a, year + 1)["OCMW A"]
        self.assertEqual(last_year["Cases opened"], ("3", "0"))

        html = self.render(self.manager_a, self.company_a, year)
        self.assertIn("Requests received", html)
        self.assertIn(str(year - 1), html)
        self.assertNotIn("Kim Client", html, "counts only, no names of clients")

    def test_a_manager_of_two_organisations_sees_each_and_both(self):
        self.manager_a.company_ids |= self.company_b
        figures = self.figures(
            self.manager_a, self.company_a | self.company_b, self.today.year
        )
        self.assertEqual(
            list(figures), ["OCMW A", "OCMW B", "All organisations together"]
        )
        self.assertEqual(figures["OCMW B"]["Cases opened"], ("0", "1"))
        self.assertEqual(
            figures["All organisations together"]["Cases opened"], ("0", "4")
        )

    def test_only_ones_own_organisations_and_a_real_year(self):
        with self.assertRaises(AccessError):
            self.figures(self.manager_b, self.company_a, self.today.year)
        with self.assertRaises(AccessError):
            self.render(self.manager_b, self.company_a, self.today.year)
        with self.assertRaises(ValidationError):
            self.wizard(self.manager_a, self.company_a, 1066)
        with self.assertRaises(AccessError):
            self.env["lco.yearly.figures.wizard"].with_user(self.aid_worker_a).create(
                {"year": self.today.year}
            )

    def test_a_coordinator_counts_what_he_may_read(self):
        figures = self.figures(self.coordinator_b, self.company_b, self.today.year)
        self.assertEqual(figures["OCMW B"]["Cases opened"], ("0", "1"))

    def test_the_queries_do_not_grow_with_the_organisations(self):
        """Each figure is one query for all organisations and both years:
        two organisations and "all together" take no more than one."""
        self.manager_a.company_ids |= self.company_b
        year = self.today.year
        one = self.wizard(self.manager_a, self.company_a, year)
        both = self.wizard(self.manager_a, self.company_a | self.company_b, year)
        report = self.env["report.lco_module.report_lco_yearly_figures"].with_user(
            self.manager_a
        )
        queries = []
        # The first run reads the rules, labels and translations once.
        for wizard in (both, one, both):
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            values = report._get_report_values(wizard.ids)
            queries.append(self.env.cr.sql_log_count - start)
        self.assertEqual(len(values["scopes"]), 3)
        self.assertLessEqual(queries[2], queries[1] + 2, queries)
