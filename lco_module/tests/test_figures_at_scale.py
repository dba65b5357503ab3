from collections import deque
from unittest.mock import patch

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo.osv import expression
from odoo.tests import tagged
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval
from odoo.tools.sql import column_exists, index_exists

from .common_meeting import LcoMeetingCommon


@tagged("post_install", "-at_install")
class TestFiguresAtScale(LcoMeetingCommon):
    """Issue 12, fast at scale: the searches and figures that were slow at
    100,000 cases read columns of their own table, each with an index."""

    def search_arch(self, model, xmlid):
        view = self.env.ref(xmlid)
        arch = self.env[model].get_views([[view.id, "search"]])
        return etree.fromstring(arch["views"]["search"]["arch"])

    def assertOwnColumns(self, model, domain):
        """Every condition of ``domain`` is on a stored column of ``model``
        itself: no join, no subquery on another table."""
        for leaf in domain:
            if not expression.is_leaf(leaf):
                continue
            field = self.env[model]._fields[leaf[0]]
            self.assertTrue(field.store, leaf)
            self.assertNotIn(field.type, ("many2one", "one2many", "many2many"), leaf)

    def test_the_client_name_search_reads_the_case_itself(self):
        search = self.search_arch("lco.case", "lco_module.view_lco_case_search")
        node = next(search.iter("field"))
        domain = safe_eval(node.get("filter_domain"), {"self": "Kim"})
        self.assertOwnColumns("lco.case", domain)
        for column in ("name", "client_name"):
            self.assertTrue(index_exists(self.env.cr, f"lco_case__{column}_index"))
        Case = self.env["lco.case"]
        self.assertEqual(
            Case._fields["client_name"].groups, Case._fields["client_id"].groups
        )
        found = Case.with_user(self.coordinator_a).search(domain)
        self.assertIn(self.case_a1, found)
        self.assertFalse(Case.with_user(self.coordinator_b).search(domain))
        # The client's new name is searched at once.
        self.client_a1.name = "Kimberly Renamed"
        domain = safe_eval(node.get("filter_domain"), {"self": "Renamed"})
        self.assertEqual(
            Case.with_user(self.coordinator_a).search(domain), self.case_a1
        )
        # The client's name is also what a case field searches cases by.
        found = Case.with_user(self.coordinator_a).name_search("Renamed")
        self.assertEqual([case_id for case_id, _name in found], self.case_a1.ids)

    def test_the_attendance_figures_filter_the_attendance_itself(self):
        """The figure reads the attendance counted per month (issue 21),
        filtered on its own columns; the counting reads the attendance's
        stored copies of the meeting's status and date."""
        Figure = "lco.figure.attendance.month"
        search = self.search_arch(Figure, "lco_module.view_lco_meeting_attendee_search")
        # What the action filters by default: meetings held, the last 12 months.
        action = self.env.ref("lco_module.action_lco_attendance_figures")
        self.assertEqual(action.res_model, Figure)
        context = safe_eval(action.context)
        values = {
            "context_today": lambda: self.today,
            "relativedelta": relativedelta,
        }
        domain = expression.AND(
            safe_eval(node.get("domain"), values)
            for node in search.iter("filter")
            if context.get(f"search_default_{node.get('name')}")
        )
        self.assertEqual(
            {key for key in context if key.startswith("search_default_")},
            {"search_default_held", "search_default_last_12_months"},
        )
        self.assertOwnColumns(Figure, domain)
        for name in ("case", "company"):
            self.assertTrue(
                index_exists(
                    self.env.cr, f"lco_meeting_attendee_held_{name}_date_figures_index"
                )
            )
        for name in ("case", "company"):
            self.assertTrue(
                index_exists(self.env.cr, f"lco_agreement_{name}_figures_index")
            )
        self.assertTrue(index_exists(self.env.cr, "lco_meeting_company_figures_index"))

        meeting = self.create_meeting(days=-1)
        Attendance = self.env[Figure].with_user(self.coordinator_a)
        count = self.env["lco.figure.month"]._cron_refresh
        count()
        self.assertEqual(Attendance.search_count(domain), 0, "not held yet")
        self.assertEqual(set(meeting.attendee_ids.mapped("meeting_state")), {"draft"})
        self.prepare(meeting)
        meeting.action_schedule()
        self.hold(meeting)
        self.assertEqual(set(meeting.attendee_ids.mapped("meeting_state")), {"held"})
        self.assertEqual(
            set(meeting.attendee_ids.mapped("meeting_start")), {meeting.start}
        )
        count()
        groups = Attendance.read_group(domain, ["__count"], ["status"], lazy=False)
        self.assertEqual(
            {group["status"]: group["__count"] for group in groups},
            {"present": len(meeting.attendee_ids)},
        )
        self.assertEqual(
            self.env[Figure].with_user(self.coordinator_b).search_count(domain), 0
        )

    def test_an_upgrade_fills_the_new_columns_in_sql(self):
        """On a database that had the addon before these columns, ``-u``
        fills them with one UPDATE when it adds them."""
        meeting = self.create_meeting()
        self.env.flush_all()
        cr = self.env.cr
        for model, column in (
            ("lco.case", "client_name"),
            ("lco.meeting.attendee", "meeting_state"),
            ("lco.meeting.attendee", "meeting_start"),
        ):
            table = self.env[model]._table
            cr.execute(
                SQL(
                    "ALTER TABLE %s DROP COLUMN %s",
                    SQL.identifier(table),
                    SQL.identifier(column),
                )
            )
            self.assertFalse(column_exists(cr, table, column))
            # What the registry holds while it loads the addon.
            with (
                patch.object(self.registry, "_post_init_queue", deque(), create=True),
                patch.object(self.registry, "_foreign_keys", {}, create=True),
            ):
                self.env[model]._auto_init()
            self.assertTrue(column_exists(cr, table, column))
        cr.execute("SELECT client_name FROM lco_case WHERE id = %s", [self.case_a1.id])
        self.assertEqual(cr.fetchone()[0], self.client_a1.name)
        cr.execute(
            "SELECT DISTINCT meeting_state, meeting_start FROM lco_meeting_attendee"
            " WHERE meeting_id = %s",
            [meeting.id],
        )
        self.assertEqual(cr.fetchall(), [(meeting.state, meeting.start)])
