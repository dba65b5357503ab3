import logging
import time
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common import LcoCommon

_logger = logging.getLogger(__name__)

CASE_FORM = {"name": {}, "client_id": {"fields": {"display_name": {}}}}


@tagged("post_install", "-at_install")
class TestAccessLog(LcoCommon):
    """Issue 10: who opened, printed or exported which record, kept for the
    managers, changed by nobody."""

    def log_of(self, records):
        return self.env["lco.access.log"].search(
            [("res_model", "=", records._name), ("res_id", "in", records.ids)]
        )

    def test_opening_a_form_is_logged(self):
        self.case_a1.with_user(self.aid_worker_a).web_read(CASE_FORM)
        self.meeting_a1.with_user(self.coordinator_a).web_read({"location": {}})
        [opened] = self.log_of(self.case_a1)
        self.assertEqual(
            (opened.user_id, opened.action, opened.case_id, opened.company_id),
            (self.aid_worker_a, "open", self.case_a1, self.company_a),
        )
        self.assertEqual(self.log_of(self.meeting_a1).case_id, self.case_a1)
        # A refused read leaves the record unread and logs nothing.
        with self.assertRaises(AccessError):
            self.case_a1.with_user(self.coordinator_b).web_read(CASE_FORM)
        self.assertEqual(len(self.log_of(self.case_a1)), 1)

    def test_printing_and_exporting_are_logged(self):
        self.coordinator_a.groups_id += self.env.ref("base.group_allow_export")
        Report = self.env["ir.actions.report"].with_user(self.coordinator_a)
        Report._render_qweb_html(
            "lco_module.action_report_lco_case_overview", self.case_a1.ids
        )
        self.case_a1.with_user(self.coordinator_a).export_data(["name", "question"])
        printed, exported = self.log_of(self.case_a1).sorted("id")
        self.assertEqual(printed.action, "print")
        self.assertEqual(printed.detail, "Case Overview")
        self.assertEqual(exported.action, "export")
        self.assertEqual(exported.detail, "name, question")

    def test_the_manager_reads_the_log_nobody_changes_it(self):
        self.case_a1.with_user(self.aid_worker_a).web_read(CASE_FORM)
        log = self.log_of(self.case_a1)
        manager_log = log.with_user(self.manager_a)
        self.assertEqual(manager_log.user_id, self.aid_worker_a)
        action = self.case_a1.with_user(self.manager_a).action_view_access_log()
        self.assertEqual(
            self.env["lco.access.log"]
            .with_user(self.manager_a)
            .search(action["domain"]),
            log,
        )
        with self.assertRaises(UserError):
            manager_log.write({"user_id": self.manager_a.id})
        with self.assertRaises(UserError):
            manager_log.unlink()
        for user in (self.coordinator_a, self.aid_worker_a):
            with self.assertRaises(AccessError):
                log.with_user(user).read(["user_id"])
        with self.assertRaises(AccessError):
            self.env["lco.access.log"].with_user(self.manager_a).create(
                {
                    "date": fields.Datetime.now(),
                    "user_id": self.manager_a.id,
                    "action": "open",
                    "res_model": "lco.case",
                    "res_id": self.case_a1.id,
                }
            )
        other = self.env["lco.access.log"].with_user(self.manager_b)
        self.assertFalse(other.search([("case_id", "=", self.case_a1.id)]))

    def test_old_lines_are_purged(self):
        self.case_a1.with_user(self.aid_worker_a).web_read(CASE_FORM)
        old = self.log_of(self.case_a1)
        old.sudo().date = fields.Datetime.now() - timedelta(days=800)
        self.case_a1.with_user(self.coordinator_a).web_read(CASE_FORM)
        self.env["lco.access.log"]._cron_purge()
        self.assertFalse(old.exists())
        self.assertEqual(self.log_of(self.case_a1).user_id, self.coordinator_a)

    def test_opening_costs_one_insert(self):
        case = self.case_a1.with_user(self.coordinator_a)
        Log = self.env["lco.access.log"].with_user(self.coordinator_a)
        Log._log(case, "open")
        self.env.flush_all()
        before = self.cr.sql_log_count
        Log._log(case, "open")
        self.env.flush_all()
        self.assertEqual(self.cr.sql_log_count - before, 1)

        def open_form(times=20):
            start = time.perf_counter()
            for _i in range(times):
                self.env.invalidate_all()
                case.web_read(CASE_FORM)
            return (time.perf_counter() - start) / times

        logged = open_form()
        self.patch(type(self.env["lco.access.log"]), "_log", lambda *args, **kw: None)
        unlogged = open_form()
        _logger.info(
            "Case form read: %.1f ms with the access log, %.1f ms without",
            logged * 1000,
            unlogged * 1000,
        )
        self.assertLess(logged - unlogged, 0.02)


@tagged("post_install", "-at_install")
class TestRightOfAccess(LcoCommon):
    """Issue 10: a manager prints everything held about one client."""

    REPORT = "lco_module.action_report_lco_client_data"

    def test_manager_prints_what_is_held_about_a_client(self):
        self.case_a1.with_user(self.aid_worker_a).web_read(CASE_FORM)
        Report = self.env["ir.actions.report"].with_user(self.manager_a)
        html = Report._render_qweb_html(self.REPORT, self.client_a1.ids)[0].decode()
        for expected in (
            self.case_a1.name,
            "Find a home",
            "Apply for social housing",
            "Visit the housing company together",
            "Aid Worker A",
        ):
            self.assertIn(expected, html)
        self.assertNotIn(self.client_b1.name, html, "another organisation's case")
        self.assertNotIn("Jonas Client", html, "another client's case")

    def test_only_a_manager_prints_it(self):
        Report = self.env["ir.actions.report"].with_user(self.coordinator_a)
        with self.assertRaises(AccessError):
            Report._render_qweb_html(self.REPORT, self.client_a1.ids)


@tagged("post_install", "-at_install")
class TestAccessLogOverHttp(LcoCommon, HttpCase):
    """Opening a form and downloading a report are read-only requests: their
    line is written all the same."""

    def test_form_and_report_download_are_logged(self):
        self.authenticate(self.coordinator_a.login, self.coordinator_a.login)
        self.make_jsonrpc_request(
            "/web/dataset/call_kw/lco.case/web_read",
            {
                "model": "lco.case",
                "method": "web_read",
                "args": [self.case_a1.ids],
                "kwargs": {"specification": CASE_FORM},
            },
        )
        response = self.url_open(
            f"/report/html/lco_module.report_lco_case_overview/{self.case_a1.id}"
        )
        self.assertEqual(response.status_code, 200)
        logged = self.env["lco.access.log"].search(
            [("case_id", "=", self.case_a1.id), ("user_id", "=", self.coordinator_a.id)]
        )
        self.assertEqual(sorted(logged.mapped("action")), ["open", "print"])

    def test_a_list_opens_nothing(self):
        self.authenticate(self.coordinator_a.login, self.coordinator_a.login)
        result = self.make_jsonrpc_request(
            "/web/dataset/call_kw/lco.case/web_search_read",
            {
                "model": "lco.case",
                "method": "web_search_read",
                "args": [],
                "kwargs": {
                    "domain": [("id", "=", self.case_a1.id)],
                    "specification": CASE_FORM,
                },
            },
        )
        self.assertEqual(result["length"], 1)
        self.assertFalse(
            self.env["lco.access.log"].search([("case_id", "=", self.case_a1.id)])
        )
