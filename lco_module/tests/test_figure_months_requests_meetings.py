from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.modules.migration import load_script
from odoo.tests import tagged

from .common_figures import LcoFigureMonthsCommon
from .common_meeting import LcoMeetingCommon
from .common_request import LcoRequestCommon

HELD = ("held", "reported")
POST_MIGRATE = "lco_module/migrations/18.0.1.2.0/post-migrate.py"

# What each figure's pivot and graph ask: (action, figure, source, group-bys,
# measures, domain).
FIGURES = (
    (
        "action_lco_request_figures",
        "lco.figure.request.month",
        "lco.request",
        ["channel", "state"],
        ["days_to_decision:avg"],
        [],
    ),
    (
        "action_lco_request_figures",
        "lco.figure.request.month",
        "lco.request",
        ["kind", "coordinator_id"],
        [],
        [],
    ),
    (
        "action_lco_meeting_figures",
        "lco.figure.meeting.month",
        "lco.meeting",
        ["kind", "state"],
        [],
        [],
    ),
    (
        "action_lco_meeting_figures",
        "lco.figure.meeting.month",
        "lco.meeting",
        ["month:month", "chair_id"],
        [],
        [],
    ),
    (
        "action_lco_meeting_network_figures",
        "lco.figure.meeting.month",
        "lco.meeting",
        ["company_id", "month:year"],
        ["network_present_share:avg"],
        [("state", "in", HELD)],
    ),
)
# The source's name of a figure's group-by, where it differs.
SOURCE_FIELDS = {
    ("lco.request", "coordinator_id"): "user_id",
    ("lco.request", "month:month"): "date_received:month",
    ("lco.meeting", "month:month"): "start:month",
    ("lco.meeting", "month:year"): "start:year",
}
# The five read_groups below together, the names they show read once.
QUERIES = 10


@tagged("post_install", "-at_install", "is_query_count")
class TestRequestMeetingFigureMonths(
    LcoFigureMonthsCommon, LcoMeetingCommon, LcoRequestCommon
):
    """Issue 21: the request, meeting and "network at the table" figures read
    rows counted per organisation and month, the same numbers as the
    records, each user those of what he may read."""

    def live(self, user, model, groupby, measures, domain=()):
        """What the figure read on the records: a manager all of his
        organisations; a coordinator the requests of his organisations (he
        takes them in) and the meetings of the cases he coordinates."""
        domain = [*domain, ("company_id", "in", user.company_ids.ids)]
        if model == "lco.meeting" and not user.has_group(
            "lco_module.group_lco_manager"
        ):
            domain.append(("case_id.coordinator_id", "=", user.id))
        groupby = [SOURCE_FIELDS.get((model, spec), spec) for spec in groupby]
        Source = self.env[model].with_user(user).with_context(tz="UTC")
        groups = Source._read_group(domain, groupby, ["__count", *measures])
        return self.keyed(groups, len(groupby))

    def make_the_records(self):
        declined = self._taken(self._request(channel="phone"))
        with freeze_time(declined.date_received + timedelta(days=3)):
            declined._decide("declined", "Another service fits better.")
        self._taken(self._request(kind="youth", urgency="2"))
        self._request(client_zip="9903")  # to OCMW B
        self._request(channel="mail", client_zip="1000")  # not routed: OCMW A
        # A meeting held with the client's aunt, of his own network, present.
        member = (
            self.env["lco.network.member"]
            .with_user(self.coordinator_a)
            .create(
                {
                    "case_id": self.case_a1.id,
                    "partner_id": self.aunt_a1.id,
                    "relationship": "other_family",
                }
            )
        )
        member.action_invite_to_table()
        self.prepare(self.meeting_a1)
        self.meeting_a1.action_schedule()
        self.hold(self.meeting_a1)
        self.assertTrue(self.meeting_a1.has_network_present)
        self.create_meeting(days=40)
        self.case_b1.meeting_ids.sudo().write({"state": "scheduled"})

    def test_the_figures_read_as_the_records(self):
        self.make_the_records()
        self.refresh()
        for xmlid, figure, *_rest in FIGURES:
            self.assertEqual(self.env.ref(f"lco_module.{xmlid}").res_model, figure)
        for user in (
            self.manager_a,
            self.manager_b,
            self.coordinator_a,
            self.coordinator_b,
        ):
            for _xmlid, figure, source, groupby, measures, domain in FIGURES:
                with self.subTest(user=user.login, figure=figure, groupby=groupby):
                    counted = self.figures(user, figure, groupby, measures, domain)
                    self.assertTrue(counted or user.company_id == self.company_b)
                    self.assertEqual(
                        counted, self.live(user, source, groupby, measures, domain)
                    )
        # The kind of consultation of the case, local or youth care.
        youth = self.case_a2.sudo()
        youth.kind = "youth"
        self.env["lco.meeting"].create(
            {"case_id": youth.id, "start": youth.create_date}
        )
        self.refresh()
        for user in (self.manager_a, self.coordinator_a):
            counted = dict(
                self.env["lco.figure.meeting.month"]
                .with_user(user)
                ._read_group([], ["case_kind"], ["__count"])
            )
            meetings = (
                self.env["lco.meeting"]
                .with_user(user)
                .search(
                    [("company_id", "in", user.company_ids.ids)]
                    + (
                        []
                        if user == self.manager_a
                        else [("case_id.coordinator_id", "=", user.id)]
                    )
                )
            )
            self.assertEqual(
                counted,
                {
                    kind: len(meetings.filtered(lambda m, k=kind: m.case_id.kind == k))
                    for kind in set(meetings.case_id.mapped("kind"))
                },
            )
        # What a manager sees of the network: A's one meeting held, with it.
        shares = dict(
            self.env["lco.figure.meeting.month"]
            .with_user(self.manager_a)
            ._read_group(
                [("state", "in", HELD)], ["company_id"], ["network_present_share:avg"]
            )
        )
        self.assertEqual(shares, {self.company_a: 100.0})

    def test_each_reads_what_his_rules_allow(self):
        self.make_the_records()
        self.refresh()
        Request = self.env["lco.figure.request.month"]
        Meeting = self.env["lco.figure.meeting.month"]
        self.assertEqual(
            set(Request.with_user(self.coordinator_b).search([]).company_id),
            {self.company_b},
        )
        self.assertEqual(
            set(Meeting.with_user(self.coordinator_a).search([]).coordinator_id),
            {self.coordinator_a},
        )
        self.assertEqual(
            set(Meeting.with_user(self.manager_b).search([]).company_id),
            {self.company_b},
        )
        for Figure in (Request, Meeting):
            for user in (self.manager_a, self.coordinator_a, self.aid_worker_a):
                self.assertFalse(Figure.with_user(user).has_access("write"))
            self.assertFalse(Figure.with_user(self.aid_worker_a).has_access("read"))
        # The measures a pivot offers: the averages, not the totals behind them.
        for Figure, measures in (
            (Request, {"days_to_decision"}),
            (Meeting, {"network_present_share"}),
        ):
            described = Figure.fields_get(attributes=["aggregator"])
            self.assertEqual(
                {name for name, field in described.items() if field.get("aggregator")},
                measures,
            )

    def add_records(self, count):
        requests = (
            self.env["lco.request"]
            .sudo()
            .with_context(tracking_disable=True, mail_create_nolog=True)
            .create([self._request_values() for _number in range(count)])
        )
        self.assertEqual(set(requests.company_id), {self.company_a})
        self.env["lco.meeting"].with_context(tracking_disable=True).create(
            [
                {"case_id": self.case_a1.id, "start": self.meeting_a1.start}
                for _number in range(count)
            ]
        )

    def test_the_figures_read_the_same_rows_at_20_and_200_records(self):
        queries, rows = [], []
        for count in (20, 180):
            self.add_records(count)
            self.refresh()
            each, counted = self.measure_figures(
                [
                    (figure, groupby, measures, domain)
                    for _xmlid, figure, _source, groupby, measures, domain in FIGURES
                ],
                QUERIES,
            )
            queries.append(each)
            rows.append(counted)
        self.assertEqual(queries[0], queries[1])
        self.assertEqual(rows[0], rows[1], "20 or 200 records, the same rows counted")
        [(counted,)] = (
            self.env["lco.figure.request.month"]
            .with_user(self.manager_a)
            ._read_group([], [], ["__count"])
        )
        self.assertEqual(
            counted,
            self.env["lco.request"]
            .with_user(self.manager_a)
            .search_count([("company_id", "=", self.company_a.id)]),
        )

    def test_an_update_counts_the_new_figures_at_once(self):
        """After the update to 18.0.1.2.0 the request and meeting figures
        are counted by the next free cron worker, not up to an hour later."""
        cron = self.env.ref("lco_module.ir_cron_lco_figure_refresh")
        Trigger = self.env["ir.cron.trigger"].sudo()
        before = Trigger.search([("cron_id", "=", cron.id)])
        migration = load_script(POST_MIGRATE, "lco_post_migrate_figures")
        migration.count_remaining_figures(self.env.cr)
        [trigger] = Trigger.search([("cron_id", "=", cron.id)]) - before
        self.assertLessEqual(trigger.call_at, fields.Datetime.now())

    def test_statuses_in_the_order_of_the_work(self):
        self.make_the_records()
        self.refresh()
        for model in ("lco.figure.request.month", "lco.figure.meeting.month"):
            Figure = self.env[model].with_user(self.manager_a)
            order = Figure._fields["state"].get_values(self.env)
            states = [
                group["state"]
                for group in Figure.read_group(
                    [], ["__count"], ["state"], lazy=False, orderby="state"
                )
            ]
            self.assertGreater(len(states), 1, model)
            self.assertEqual(states, sorted(states, key=order.index), model)
