from datetime import timedelta

from odoo import Command
from odoo.modules.migration import load_script
from odoo.tests import tagged

from .common_figures import LcoFigureMonthsCommon
from .common_meeting import LcoMeetingCommon

TOTALS_MIGRATION = "lco_module/migrations/18.0.1.4.0/post-migrate.py"

# The five read_groups below together, the names they show read once.
QUERIES = 8

# What each figure's pivot and graph ask: (figure, source, group-bys, measures).
FIGURES = (
    (
        "lco.figure.case.month",
        "lco.case",
        ["coordinator_id", "state"],
        ["held_meeting_count:avg", "days_to_first_meeting:avg", "days_to_close:avg"],
    ),
    ("lco.figure.case.month", "lco.case", ["close_reason_id", "state"], []),
    ("lco.figure.agreement.month", "lco.agreement", ["life_domain_id", "state"], []),
    ("lco.figure.attendance.month", "lco.meeting.attendee", ["role", "status"], []),
    (
        "lco.figure.attendance.month",
        "lco.meeting.attendee",
        ["meeting_state", "coordinator_id"],
        [],
    ),
)


@tagged("post_install", "-at_install", "is_query_count")
class TestFigureMonths(LcoFigureMonthsCommon, LcoMeetingCommon):
    """Issue 21: the case, closed-case, attendance and agreement figures read
    rows counted per organisation and month, the same numbers as the
    records, each user those of what he may read."""

    def live(self, user, model, groupby, measures):
        """What the figure read on the records. A manager counts every case
        of his organisations; a coordinator the cases he coordinates (not
        those he takes part in as an aid worker)."""
        domain = []
        if not user.has_group("lco_module.group_lco_manager"):
            field = (
                "coordinator_id" if model == "lco.case" else "case_id.coordinator_id"
            )
            domain = [(field, "=", user.id)]
        if model == "lco.meeting.attendee" and "coordinator_id" in groupby:
            counts = {}
            for record in self.env[model].with_user(user).search(domain):
                key = (record.meeting_state, record.case_id.coordinator_id.id)
                counts[key] = counts.get(key, 0) + 1
            return {key: (count,) for key, count in counts.items()}
        return self.figures(user, model, groupby, measures, domain)

    def test_the_figures_read_as_the_records(self):
        self.prepare(self.meeting_a1)
        self.meeting_a1.action_schedule()
        self.hold(self.meeting_a1)
        self.agreement_a1_external.state = "done"
        self.case_a2.sudo().write(
            {
                "state": "closed",
                "close_reason_id": self.close_reason.id,
                "date_closed": self.today,
                "date_requested": self.today - timedelta(days=40),
            }
        )
        progress = self.refresh()
        companies = self.env["res.company"].search_count([])
        self.assertEqual(
            len(progress), 5 * companies, "a batch per figure and organisation"
        )
        self.assertEqual(progress[-1], (5 * companies, 0))
        for user in (self.manager_a, self.manager_b, self.coordinator_a):
            for figure, source, groupby, measures in FIGURES:
                with self.subTest(user=user.login, figure=figure, groupby=groupby):
                    self.assertEqual(
                        self.figures(user, figure, groupby, measures),
                        self.live(user, source, groupby, measures),
                    )

    def test_each_reads_what_his_rules_allow(self):
        self.refresh()
        Figure = self.env["lco.figure.case.month"]
        self.assertEqual(
            set(Figure.with_user(self.manager_b).search([]).company_id),
            {self.company_b},
        )
        self.assertEqual(
            set(Figure.with_user(self.coordinator_a).search([]).coordinator_id),
            {self.coordinator_a},
        )
        self.assertEqual(
            dict(
                Figure.with_user(self.manager_a)._read_group(
                    [], ["coordinator_id"], ["__count"]
                )
            ),
            dict(
                self.env["lco.case"]
                .with_user(self.manager_a)
                ._read_group([], ["coordinator_id"], ["__count"])
            ),
        )
        # The measures a pivot offers: the averages, not the totals behind them.
        described = Figure.fields_get(attributes=["aggregator"])
        self.assertEqual(
            {name for name, field in described.items() if field.get("aggregator")},
            {"held_meeting_count", "days_to_first_meeting", "days_to_close"},
        )
        # Read-only for everyone: the cron counts them.
        for user in (self.manager_a, self.coordinator_a, self.aid_worker_a):
            self.assertFalse(Figure.with_user(user).has_access("write"))
        self.assertFalse(Figure.with_user(self.aid_worker_a).has_access("read"))

    def test_the_figures_follow_the_cases_on_the_next_count(self):
        self.refresh()
        Figure = self.env["lco.figure.agreement.month"].with_user(self.manager_a)
        before = dict(Figure._read_group([], ["state"], ["__count"]))
        self.agreement_a1_external.state = "done"
        self.assertEqual(dict(Figure._read_group([], ["state"], ["__count"])), before)
        self.refresh()
        after = dict(Figure._read_group([], ["state"], ["__count"]))
        self.assertEqual(after.get("done", 0), before.get("done", 0) + 1)
        self.assertEqual(after["open"], before["open"] - 1)

    def add_cases(self, count):
        clients = self.env["res.partner"].create(
            [
                {"name": f"Client {number}", "company_id": self.company_a.id}
                for number in range(count)
            ]
        )
        cases = self.env["lco.case"].create(
            [
                {
                    "company_id": self.company_a.id,
                    "coordinator_id": self.coordinator_a.id,
                    "client_id": client.id,
                    "question": "A home",
                    "life_domain_line_ids": [
                        Command.create({"life_domain_id": self.life_domain_housing.id})
                    ],
                }
                for client in clients
            ]
        )
        self.env["lco.meeting"].create(
            [{"case_id": case.id, "start": self.meeting_a1.start} for case in cases]
        )
        self.env["lco.agreement"].create(
            [
                {
                    "case_id": case.id,
                    "name": "Call the landlord",
                    "responsible_id": case.participant_ids[:1].id,
                    "life_domain_id": self.life_domain_housing.id,
                }
                for case in cases
            ]
        )
        return cases

    def test_the_figures_read_the_same_rows_at_20_and_200_cases(self):
        queries, rows = [], []
        for count in (20, 180):
            self.add_cases(count)
            self.refresh()
            each, counted = self.measure_figures(
                [
                    (figure, groupby, measures, ())
                    for figure, _s, groupby, measures in FIGURES
                ],
                QUERIES,
            )
            queries.append(each)
            rows.append(counted)
        # One grouped query each, and one for the names of the coordinators
        # or life domains it shows (the coordinators' users and partners).
        self.assertEqual(queries, [[3, 1, 2, 1, 3]] * 2)
        self.assertEqual(rows[0], rows[1], "20 or 200 cases, the same rows counted")
        Figure = self.env["lco.figure.case.month"].with_user(self.manager_a)
        [(counted,)] = Figure._read_group(
            [("coordinator_id", "=", self.coordinator_a.id)], [], ["__count"]
        )
        self.assertEqual(
            counted,
            self.env["lco.case"].search_count(
                [("coordinator_id", "=", self.coordinator_a.id)]
            ),
        )

    def test_a_figure_without_a_person_reads_the_organisations_totals(self):
        """A manager's figure that neither groups nor filters by coordinator
        reads the organisation's totals: as many rows with two coordinators
        as with one, the same numbers as the records. Grouped or filtered by
        coordinator, and for a coordinator, the rows per person answer; a
        list never shows the totals."""
        Figure = self.env["lco.figure.agreement.month"]
        groupby = ["life_domain_id", "state"]
        totals = []
        for coordinator in (self.coordinator_a, self.coordinator2_a):
            self.add_cases(3).sudo().write({"coordinator_id": coordinator.id})
            self.refresh()
            totals.append(
                Figure.search_count(
                    [
                        ("company_id", "=", self.company_a.id),
                        ("organisation_total", "=", True),
                    ]
                )
            )
        self.assertEqual(totals[0], totals[1], "a second coordinator, no new total")
        per_person = Figure.search_count([("company_id", "=", self.company_a.id)])
        self.assertGreater(per_person, totals[1])
        self.assertFalse(
            Figure.with_user(self.manager_a).search([]).filtered("organisation_total")
        )
        for user, extra_groupby, domain in (
            (self.manager_a, [], []),
            (self.manager_a, ["coordinator_id"], []),
            (self.manager_a, [], [("coordinator_id", "=", self.coordinator2_a.id)]),
            (self.coordinator_a, [], []),
            (self.coordinator2_a, [], []),
        ):
            with self.subTest(user=user.login, groupby=extra_groupby, domain=domain):
                live_domain = [
                    ("case_id." + name, operator, value)
                    for name, operator, value in domain
                ]
                if not user.has_group("lco_module.group_lco_manager"):
                    live_domain.append(("case_id.coordinator_id", "=", user.id))
                if extra_groupby:
                    live = {}
                    for agreement in (
                        self.env["lco.agreement"].with_user(user).search(live_domain)
                    ):
                        key = (
                            agreement.life_domain_id.id,
                            agreement.state,
                            agreement.case_id.coordinator_id.id,
                        )
                        live[key] = (live.get(key, (0,))[0] + 1,)
                else:
                    live = self.figures(user, "lco.agreement", groupby, [], live_domain)
                self.assertEqual(
                    self.figures(
                        user,
                        "lco.figure.agreement.month",
                        groupby + extra_groupby,
                        [],
                        domain,
                    ),
                    live,
                )

    def test_the_update_counts_the_totals_of_the_rows_counted_before(self):
        """After the update to 18.0.1.4.0 a manager's figures show at once:
        the totals are made from the rows counted before it."""
        self.add_cases(2)
        self.refresh()
        manager = self.env["lco.figure.agreement.month"].with_user(self.manager_a)
        before = self.figures(
            self.manager_a, "lco.figure.agreement.month", ["state"], []
        )
        self.env.cr.execute(
            "DELETE FROM lco_figure_agreement_month WHERE organisation_total"
        )
        self.env.cr.execute(
            "UPDATE lco_figure_agreement_month SET organisation_total = NULL"
        )
        manager.invalidate_model()
        self.assertFalse(manager._read_group([], ["state"], ["__count"]))
        migration = load_script(TOTALS_MIGRATION, "lco_post_migrate_totals")
        migration.migrate(self.env.cr, "18.0.1.3.0")
        manager.invalidate_model()
        self.assertEqual(
            self.figures(self.manager_a, "lco.figure.agreement.month", ["state"], []),
            before,
        )
