from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch

from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from ..models.lco_access_logged import LOGGED_CALLS
from .common import LcoCommon

CASE_FORM = {
    "name": {},
    "question": {},
    "client_id": {"fields": {"display_name": {}}},
}
# A list of cases: no text of what was said.
CASE_LIST = {"name": {}, "state": {}, "client_id": {"fields": {"display_name": {}}}}
RELATIONAL = ("many2one", "one2many", "many2many")


def form_specification(env, model):
    """What the web client reads to open ``model``'s form: its fields, and
    those of the lists in its tabs (as web_read's specification)."""
    arch = etree.fromstring(
        env[model].get_views([(False, "form")])["views"]["form"]["arch"]
    )

    def fields_of(node, model):
        spec = {}
        for child in node.iterchildren(tag=etree.Element):
            if child.tag != "field":
                spec.update(fields_of(child, model))
                continue
            field = env[model]._fields[child.get("name")]
            if field.type not in RELATIONAL:
                spec[field.name] = {}
                continue
            sub = {"display_name": {}}
            for view in child.iterchildren("list", "kanban"):
                sub.update(fields_of(view, field.comodel_name))
            spec[field.name] = {"fields": sub}
        return spec

    return fields_of(arch, model)


@contextmanager
def count_log_inserts(cr):
    """The INSERTs into the access log run within."""
    inserts = []
    execute = cr.execute

    def counting(query, *args, **kwargs):
        if str(getattr(query, "code", query)).startswith("INSERT INTO lco_access_log"):
            inserts.append(query)
        return execute(query, *args, **kwargs)

    with patch.object(cr, "execute", counting):
        yield inserts


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
        self.meeting_a1.with_user(self.coordinator_a).web_read({"minutes": {}})
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
        spec = form_specification(self.env, "lco.case")
        case.web_read(spec)
        self.env.invalidate_all()
        self.env.flush_all()
        before = self.cr.sql_log_count
        with count_log_inserts(self.cr) as inserts:
            case.web_read(spec)
        logged = self.cr.sql_log_count - before
        self.assertEqual(len(inserts), 1)
        self.patch(type(self.env["lco.access.log"]), "_log_entries", lambda *a: None)
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        case.web_read(spec)
        # The INSERT, and reading where the case belongs (its organisation).
        self.assertLessEqual(logged - (self.cr.sql_log_count - before), 2)


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

    def test_a_list_without_texts_reads_nothing(self):
        self.authenticate(self.coordinator_a.login, self.coordinator_a.login)
        result = self.make_jsonrpc_request(
            "/web/dataset/call_kw/lco.case/web_search_read",
            {
                "model": "lco.case",
                "method": "web_search_read",
                "args": [],
                "kwargs": {
                    "domain": [("id", "=", self.case_a1.id)],
                    "specification": CASE_LIST,
                },
            },
        )
        self.assertEqual(result["length"], 1)
        self.assertFalse(
            self.env["lco.access.log"].search([("case_id", "=", self.case_a1.id)])
        )


@tagged("post_install", "-at_install")
class TestEveryReadIsLogged(LcoCommon):
    """Issue 18, finding 6: every read of what was said is in the access log,
    one line per record and call, as the coordinator, the aid worker and the
    manager; names, states and labels are not."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.meeting_a1.minutes = "<p>Kim told about the eviction letter.</p>"
        cls.readers = (cls.coordinator_a, cls.aid_worker_a, cls.manager_a)
        for user in cls.readers:
            user.groups_id += cls.env.ref("base.group_allow_export")

    @contextmanager
    def assertReadLogged(self, user, records, action="read"):
        """What runs within, as ``user``, adds one line per record of
        ``records``, in one INSERT (the lines added are yielded)."""
        Log = self.env["lco.access.log"]
        before = Log.search([("user_id", "=", user.id)])
        new = Log.browse()
        with count_log_inserts(self.cr) as inserts:
            yield new
        new |= Log.search([("user_id", "=", user.id)]) - before
        self.assertEqual(
            sorted((line.res_model, line.res_id, line.action) for line in new),
            sorted((records._name, id_, action) for id_ in records.ids),
        )
        self.assertEqual(len(inserts), 1 if records else 0)
        self.logged = new

    def test_every_read_of_the_texts_is_logged_once(self):
        for user in self.readers:
            with self.subTest(user=user.login):
                mine = self.case_a1.with_user(user)
                Case = mine.browse()
                with self.assertReadLogged(user, mine):
                    mine.read(["name", "question", "goals"])
                self.assertEqual(self.logged.detail, "question, goals")
                with self.assertReadLogged(user, mine):
                    Case.search_read([("id", "=", mine.id)], ["question"])
                with self.assertReadLogged(user, self.meeting_a1):
                    self.env["lco.meeting"].with_user(user).web_search_read(
                        [("case_id", "=", mine.id)],
                        {"start": {}, "minutes": {}, "case_id": {"fields": {}}},
                    )
                with self.assertReadLogged(user, mine):
                    Case.read_group([("id", "=", mine.id)], ["question"], ["question"])
                with self.assertReadLogged(user, mine):
                    Case.web_read_group(
                        [("id", "=", mine.id)], ["question:array_agg"], ["state"]
                    )
                with self.assertReadLogged(user, mine, action="export"):
                    mine.export_data(["name", "question"])
                self.assertEqual(self.logged.detail, "name, question")
        # Any number of cases in one call: one line each, one INSERT.
        cases = (self.case_a1 | self.case_a2).with_user(self.manager_a)
        with self.assertReadLogged(self.manager_a, cases):
            cases.browse().web_search_read(
                [("id", "in", cases.ids)], {"name": {}, "question": {}}
            )

    def test_names_and_states_are_not_logged(self):
        nothing = self.env["lco.case"]
        for user in self.readers:
            with self.subTest(user=user.login), self.assertReadLogged(user, nothing):
                mine = self.case_a1.with_user(user)
                mine.read(["display_name", "name", "state"])
                mine.browse().search_read([("id", "=", mine.id)], ["display_name"])
                mine.browse().name_search(mine.name)
                mine.browse().web_search_read([("id", "=", mine.id)], CASE_LIST)
                mine.agreement_ids.read(["display_name", "state"])
                mine.browse().read_group([("id", "=", mine.id)], ["state"], ["state"])
        # What the system reads (sudo) is not a person reading.
        with self.assertReadLogged(self.env.user, nothing):
            self.case_a1.sudo().read(["question"])

    def test_the_reads_that_log_stay_read_only(self):
        """Issue 21, finding 6: the log has its own connection, so the web
        client's reads stay read-only as Odoo has them (as
        web.controllers.dataset._call_kw_readonly decides): a replica
        (db_replica_host) serves them."""
        logged = [
            name
            for name in self.env
            if isinstance(self.env[name], self.registry["lco.access.logged"])
            and not self.env[name]._abstract
        ]
        self.assertIn("lco.agreement", logged)

        def readonly(cls, method_name):
            return next(
                (
                    getattr(klass, method_name)._readonly
                    for klass in cls.mro()
                    if hasattr(getattr(klass, method_name, None), "_readonly")
                ),
                False,
            )

        core = self.registry["res.partner"]
        self.assertTrue(readonly(core, "web_read"))
        for name in logged:
            for method_name in LOGGED_CALLS:
                self.assertEqual(
                    readonly(self.registry[name], method_name),
                    readonly(core, method_name),
                    f"{name}.{method_name}",
                )

    def test_a_form_opening_is_one_line(self):
        for user in self.readers:
            # The form as this user gets it (its view leaves out what his
            # groups may not read).
            spec = form_specification(self.env(user=user), "lco.case")
            # The form reads the texts of the case and the lists of its tabs.
            self.assertIn("question", spec)
            self.assertIn("meeting_ids", spec)
            self.assertIn("agreement_ids", spec)
            with self.subTest(user=user.login):
                self.env.invalidate_all()
                with self.assertReadLogged(user, self.case_a1, action="open"):
                    self.case_a1.with_user(user).web_read(spec)
        # Saving the form reads it again: it was opened already.
        spec = form_specification(self.env(user=self.coordinator_a), "lco.case")
        with self.assertReadLogged(self.coordinator_a, self.env["lco.case"]):
            self.case_a1.with_user(self.coordinator_a).web_save(
                {"goals": "A roof before winter"}, spec
            )
        # The meeting's form: its minutes, agenda and agreements, one line.
        spec = form_specification(self.env, "lco.meeting")
        self.assertIn("minutes", spec)
        with self.assertReadLogged(self.coordinator_a, self.meeting_a1, action="open"):
            self.meeting_a1.with_user(self.coordinator_a).web_read(spec)


@tagged("post_install", "-at_install")
class TestDownloadIsLogged(LcoCommon, HttpCase):
    """Issue 18, finding 6: the report sent from a meeting's chatter,
    downloaded again from the chatter, is in the access log."""

    def test_report_download_from_the_chatter_is_logged(self):
        meeting = self.meeting_a1.with_user(self.coordinator_a)
        message = meeting.message_post(
            body="The report",
            attachments=[("Report.pdf", b"%PDF-1.4 the report")],
        )
        [attachment] = message.attachment_ids
        self.assertEqual(
            (attachment.res_model, attachment.res_id), ("lco.meeting", meeting.id)
        )
        self.authenticate(self.coordinator_a.login, self.coordinator_a.login)
        response = self.url_open(f"/web/content/{attachment.id}?download=true")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"%PDF-1.4 the report")
        [line] = self.env["lco.access.log"].search(
            [("user_id", "=", self.coordinator_a.id), ("res_model", "=", "lco.meeting")]
        )
        self.assertEqual(
            (line.res_id, line.action, line.detail, line.case_id),
            (meeting.id, "download", "Report.pdf", self.case_a1),
        )
        # Another organisation's coordinator gets no file, and no line.
        self.authenticate(self.coordinator_b.login, self.coordinator_b.login)
        response = self.url_open(f"/web/content/{attachment.id}?download=true")
        self.assertNotEqual(response.status_code, 200)
        self.assertFalse(
            self.env["lco.access.log"].search([("user_id", "=", self.coordinator_b.id)])
        )
