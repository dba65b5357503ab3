from datetime import datetime
from unittest.mock import patch


class LcoFigureMonthsCommon:
    """What the tests of the monthly figures share (mixed into a test case
    with ``manager_a`` and ``company_a``)."""

    def refresh(self):
        """Count the figures again, as the cron does; returns the progress it
        reported as (done, remaining) pairs."""
        calls = []

        def notify(cron, *, done, remaining, deactivate=False):
            calls.append((done, remaining))

        with patch.object(type(self.env["ir.cron"]), "_notify_progress", notify):
            self.env["lco.figure.month"]._cron_refresh()
        return calls

    @staticmethod
    def keyed(groups, size):
        """{group key: measures} of ``_read_group``'s result, comparable
        between a figure and its records."""

        def value_of(value):
            if hasattr(value, "_name"):
                return value.id
            # A month of the records' datetime is the figure's date.
            return value.date() if isinstance(value, datetime) else value

        return {
            tuple(value_of(value) for value in key[:size]): tuple(
                round(float(value), 6) for value in key[size:]
            )
            for key in groups
        }

    def figures(self, user, model, groupby, measures, domain=()):
        # In UTC, as the rows count a month.
        Figure = self.env[model].with_user(user).with_context(tz="UTC")
        groups = Figure._read_group(list(domain), groupby, ["__count", *measures])
        return self.keyed(groups, len(groupby))

    def read_figure(self, figure, groupby, measures, domain=()):
        """One figure's read_group as its pivot asks it, as a manager."""
        self.env[figure].with_user(self.manager_a).read_group(
            list(domain), ["__count", *measures], groupby, lazy=False
        )

    def measure_figures(self, asks, queries):
        """Read the figures ``asks`` ((figure, group-bys, measures, domain)):
        all of them in ``queries`` queries once the caches of rules, fields
        and translations are warm. Returns the queries of each and the rows
        each figure model holds for company A."""
        for ask in asks:
            self.read_figure(*ask)
        self.env.invalidate_all()
        with self.assertQueryCount(queries):
            for ask in asks:
                self.read_figure(*ask)
        each = []
        for ask in asks:
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            self.read_figure(*ask)
            each.append(self.env.cr.sql_log_count - start)
        rows = {
            figure: self.env[figure].search_count(
                [("company_id", "=", self.company_a.id)]
            )
            for figure in {ask[0] for ask in asks}
        }
        return each, rows
