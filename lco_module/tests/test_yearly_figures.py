from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import SQL

from .common_request import LcoRequestCommon

# The tables of which two years hold hundreds of thousands of records.
BIG_TABLES = (
    '"lco_request"',
    '"lco_meeting"',
    '"lco_meeting_attendee"',
    '"lco_agreement"',
)


@tagged("post_install", "-at_install")
class TestYearlyFigures(LcoRequestCommon):
    def wizard(self, user, companies, year):
        return (
            self.env["lco.yearly.figures.wizard"]
            .with_user(user)
            .create({"year": year, "company_ids": [Command.set(companies.ids)]})
        )

    def count(self):
        """The cron that counts the monthly rows a manager's figures read."""
        self.env["lco.figure.month"]._cron_refresh()

    def render(self, user, companies, year):
        self.count()
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
        self.count()
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

    def report_reads(self, user, wizard):
        """The report's values for ``user`` and the tables its queries read."""
        queries = []
        execute = type(self.env.cr).execute

        def spy(cr, query, params=None, log_exceptions=True):
            queries.append(str(query.code if isinstance(query, SQL) else query))
            return execute(cr, query, params, log_exceptions)

        report = self.env["report.lco_module.report_lco_yearly_figures"]
        with patch.object(type(self.env.cr), "execute", spy):
            values = report.with_user(user)._get_report_values(wizard.ids)
        tables = {table for table in BIG_TABLES if any(table in q for q in queries)}
        return values["scopes"], tables

    def test_a_manager_reads_the_monthly_rows_with_the_records_numbers(self):
        """Issue 21: a manager's yearly figures read the rows counted per
        month, not the records of two years, with the same numbers."""
        year = self.today.year
        declined = self._taken(self._request(channel="phone"))
        with freeze_time(declined.date_received + timedelta(days=3)):
            declined._decide("declined", "Another service fits better.")
        meeting = self.case_a1.meeting_ids[:1].sudo()
        meeting.write({"state": "scheduled", "start": fields.Datetime.now()})
        meeting.attendee_ids.status = "present"
        with freeze_time(meeting.start + timedelta(minutes=5)):
            meeting.write({"state": "held"})
        self.case_a2.sudo().write(
            {
                "state": "closed",
                "close_reason_id": self.close_reason.id,
                "date_closed": self.today,
            }
        )
        self.count()
        wizard = self.wizard(self.manager_a, self.company_a, year)
        scopes, tables = self.report_reads(self.manager_a, wizard)
        self.assertFalse(tables, "the monthly rows, not the records")
        Report = type(self.env["report.lco_module.report_lco_yearly_figures"])
        with patch.object(Report, "_from_months", lambda report: False):
            on_records, tables = self.report_reads(self.manager_a, wizard)
        self.assertEqual(tables, set(BIG_TABLES))
        self.assertEqual(scopes, on_records)
        labels = {
            label: (prev, cur)
            for _title, rows in scopes[0][1]
            for label, prev, cur in rows
        }
        self.assertEqual(labels["Requests received"], ("0", "1"))
        self.assertEqual(labels["Declined"], ("0", "1"))
        self.assertEqual(labels["Days from request to decision"][1], "3.0")
        self.assertEqual(labels["Cases closed"], ("0", "1"))
        self.assertEqual(labels["Meetings held"], ("0", "1"))
        # A coordinator counts what his rules let him read: the records.
        wizard = self.wizard(self.coordinator_a, self.company_a, year)
        _scopes, tables = self.report_reads(self.coordinator_a, wizard)
        self.assertEqual(tables, set(BIG_TABLES))

    def test_a_manager_s_queries_do_not_grow_with_the_records(self):
        queries = []
        wizard = self.wizard(self.manager_a, self.company_a, self.today.year)
        report = self.env["report.lco_module.report_lco_yearly_figures"].with_user(
            self.manager_a
        )
        for count in (20, 180):
            self.env["lco.request"].sudo().with_context(tracking_disable=True).create(
                [self._request_values() for _number in range(count)]
            )
            self.count()
            # Rules and labels read once (twice: after new requests, whose
            # mails wait in the queue, the first call reads some rules again).
            for _warm in range(2):
                report._get_report_values(wizard.ids)
                self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            values = report._get_report_values(wizard.ids)
            queries.append(self.env.cr.sql_log_count - start)
        self.assertEqual(queries[0], queries[1])
        labels = {
            label: cur
            for _title, rows in values["scopes"][0][1]
            for label, _p, cur in rows
        }
        self.assertEqual(labels["Requests received"], "200")
