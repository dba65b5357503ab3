from collections import defaultdict
from datetime import date, datetime, time
from decimal import Decimal

from odoo import api, models
from odoo.exceptions import AccessError
from odoo.models import READ_GROUP_AGGREGATE
from odoo.tools import SQL

HELD = ("held", "reported")
DECIDED = ("accepted", "declined", "redirected")
# Shown where there is nothing to count.
NONE = "—"


class ReportLcoYearlyFigures(models.AbstractModel):
    """The figures of a calendar year beside those of the year before, per
    organisation (and for all of them together): requests, cases, meetings,
    attendance, agreements and bottlenecks. Counted as the user who prints
    it: his record rules decide what is counted.

    Each figure is one grouped query for all organisations and both years;
    an organisation's and the overall figures are summed from its rows (an
    average as a sum and a count), so the number of queries does not grow
    with the organisations printed.

    A manager counts every record of his organisations: his figures read the
    rows counted per month (lco.figure.month, at most an hour old), which
    give the same numbers as the records (a year is twelve whole months, in
    UTC as here), not the hundreds of thousands of records of two years. A
    coordinator counts what his rules let him read, the cases he takes part
    in, which the monthly rows (per coordinator of the case) cannot tell: his
    figures read the records, as many as his own cases. Two figures read the
    records for everyone: the first meetings (the case rows are not counted
    per month of the first meeting) and the bottlenecks (a small register)."""

    _name = "report.lco_module.report_lco_yearly_figures"
    _description = "Yearly Figures Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        wizard = self.env["lco.yearly.figures.wizard"].browse(docids)
        wizard.ensure_one()
        companies, year = wizard.company_ids, wizard.year
        if not companies or companies - self.env.user.company_ids:
            raise AccessError(
                self.env._("The yearly figures are for your own organisations only.")
            )
        # A document of the organisation: in its language (the one the user
        # works in, when he prints for several).
        company = self.env.company & companies or companies[:1]
        lang = company._lco_lang(self.env.user.lang)
        report = self.with_context(lang=lang)
        figures = report._figures(companies, year)
        scopes = [(company.name, company) for company in companies]
        if len(companies) > 1:
            scopes.append((report.env._("All organisations together"), companies))
        return {
            "doc_ids": wizard.ids,
            "doc_model": wizard._name,
            "docs": wizard,
            "year": year,
            "scopes": [
                (name, report._sections(figures, set(scope.ids)))
                for name, scope in scopes
            ],
            "report_lang": lang,
        }

    def _from_months(self):
        """Whether the user's figures read the rows counted per month: a
        manager's, whose rules on both are his organisations."""
        return self.env.user.has_group("lco_module.group_lco_manager")

    def _figures(self, companies, year):
        """{figure: {(company id, *keys): [aggregates the year before,
        aggregates of the year]}}, one query per figure."""
        domain = [("company_id", "in", companies.ids)]
        closed = [*domain, ("state", "=", "closed")]
        held = [*domain, ("state", "in", HELD)]
        if self._from_months():
            # (figure, domain, month, group-bys, the records' aggregates as
            # sums of the rows' counts and totals)
            counted = ("record_count:sum",)
            sources = {
                "received": ("request", domain, "month", ["channel"], counted),
                "decided": (
                    "request",
                    domain,
                    "decided_month",
                    ["state"],
                    (
                        *counted,
                        "days_to_decision_total:sum",
                        "days_to_decision_requests:sum",
                    ),
                ),
                "opened": ("case", domain, "month", [], counted),
                "closed": (
                    "case",
                    closed,
                    "closed_month",
                    ["close_reason_id"],
                    (
                        *counted,
                        "days_to_close_total:sum",
                        "days_to_close_cases:sum",
                        "held_meeting_total:sum",
                        "held_meeting_cases:sum",
                    ),
                ),
                "held": ("meeting", held, "month", ["kind"], counted),
                "network": ("meeting", held, "month", ["has_network_present"], counted),
                "attendance": (
                    "attendance",
                    [*domain, ("meeting_state", "in", HELD)],
                    "month",
                    ["role", "status"],
                    counted,
                ),
                "agreements": (
                    "agreement",
                    domain,
                    "month",
                    ["life_domain_id", "state"],
                    counted,
                ),
            }
            figures = {
                name: self._per_year(
                    f"lco.figure.{figure}.month", where, month, year, groupby, aggs
                )
                for name, (figure, where, month, groupby, aggs) in sources.items()
            }
            figures["open"] = self._open_per_coordinator(
                "lco.figure.case.month", domain, year, "month", "closed_month"
            )
        else:
            figures = self._figures_from_records(domain, closed, held, year)
        figures["first_meeting"] = self._per_year(
            "lco.case",
            domain,
            "date_first_meeting",
            year,
            aggs=("days_to_first_meeting:sum", "days_to_first_meeting:count"),
        )
        figures["bottlenecks"] = self._per_year(
            "lco.bottleneck.occurrence", domain, "date", year, ["bottleneck_id"]
        )
        return figures

    def _figures_from_records(self, domain, closed, held, year):
        days = ("days_to_decision:sum", "days_to_decision:count")
        return {
            "received": self._per_year(
                "lco.request", domain, "date_received", year, ["channel"]
            ),
            "decided": self._per_year(
                "lco.request",
                domain,
                "date_decided",
                year,
                ["state"],
                ("__count", *days),
            ),
            "opened": self._per_year("lco.case", domain, "date_requested", year),
            "closed": self._per_year(
                "lco.case",
                closed,
                "date_closed",
                year,
                ["close_reason_id"],
                (
                    "__count",
                    "days_to_close:sum",
                    "days_to_close:count",
                    "held_meeting_count:sum",
                    "held_meeting_count:count",
                ),
            ),
            "open": self._open_per_coordinator(
                "lco.case", domain, year, "date_requested", "date_closed"
            ),
            "held": self._per_year("lco.meeting", held, "start", year, ["kind"]),
            # The method's figure: held meetings with the client's own network
            # present (a stored flag on the meeting, lco_meeting_network.py).
            "network": self._per_year(
                "lco.meeting", held, "start", year, ["has_network_present"]
            ),
            # The meeting's state and start stored on the attendance line:
            # no join to the meetings.
            "attendance": self._per_year(
                "lco.meeting.attendee",
                [*domain, ("meeting_state", "in", HELD)],
                "meeting_start",
                year,
                ["role", "status"],
            ),
            "agreements": self._per_year(
                "lco.agreement",
                domain,
                "create_date",
                year,
                ["life_domain_id", "state"],
            ),
        }

    def _sections(self, figures, company_ids):
        """[(title, [(label, value of the year before, value of the year)])]
        of the organisations ``company_ids``."""

        def scoped(figure):
            return self._scoped(figures[figure], company_ids)

        return [
            (
                self.env._("Requests"),
                self._request_rows(scoped("received"), scoped("decided")),
            ),
            (
                self.env._("Cases"),
                self._case_rows(
                    scoped("opened"),
                    scoped("closed"),
                    scoped("first_meeting"),
                    scoped("open"),
                ),
            ),
            (
                self.env._("Meetings and attendance"),
                self._meeting_rows(scoped("held"), scoped("attendance"))
                + self._network_rows(scoped("network")),
            ),
            (
                self.env._("Agreements per life domain"),
                self._agreement_rows(scoped("agreements")),
            ),
            (
                self.env._("Bottlenecks met"),
                self._bottleneck_rows(scoped("bottlenecks")),
            ),
        ]

    # -- queries ----------------------------------------------------------

    def _per_year(self, model, domain, date_field, year, groupby=(), aggs=("__count",)):
        """{(company id, *groupby values): [aggregates the year before,
        aggregates of the year]}, in one query for all organisations and both
        years, with the record rules of the user."""
        Model = self.env[model]
        table = Model._table
        bounds = [date(year - 1, 1, 1), date(year, 1, 1), date(year + 1, 1, 1)]
        if Model._fields[date_field].type == "datetime":
            bounds = [datetime.combine(day, time.min) for day in bounds]
        query = Model._search(
            [
                *domain,
                (date_field, ">=", bounds[0]),
                (date_field, "<", bounds[2]),
            ]
        )

        def column(fname):
            return Model._field_to_sql(table, fname, query)

        # The year as 0 (the year before) or 1 (the year), a condition rather
        # than date_trunc: PostgreSQL then counts both years in a small hash
        # table instead of sorting every row it reads.
        keys = [
            SQL("(%s >= %s)::int", column(date_field), bounds[1]),
            column("company_id"),
            *(column(fname) for fname in groupby),
        ]
        aggregates = []
        for spec in aggs:
            if spec == "__count":
                aggregates.append(SQL("COUNT(*)"))
            else:
                fname, func = spec.split(":")
                aggregates.append(READ_GROUP_AGGREGATE[func](table, column(fname)))
        query.groupby = SQL(", ".join(str(n) for n in range(1, len(keys) + 1)))
        comodels = [
            self.env[Model._fields[fname].comodel_name]
            if Model._fields[fname].type == "many2one"
            else None
            for fname in groupby
        ]
        rows = self.env.execute_query(query.select(*keys, *aggregates))
        # The records of a many2one, read together when the first is read.
        for position, comodel in enumerate(comodels):
            if comodel is not None:
                ids = list({row[2 + position] for row in rows} - {None})
                comodels[position] = comodel.browse(ids)
        values = defaultdict(lambda: [[0] * len(aggs), [0] * len(aggs)])
        for index, company_id, *rest in rows:
            group = tuple(
                records.browse(value).with_prefetch(records._prefetch_ids)
                if records is not None
                else value
                for records, value in zip(comodels, rest, strict=False)
            )
            values[(company_id, *group)][index] = [
                value or 0 for value in rest[len(groupby) :]
            ]
        return values

    def _open_per_coordinator(self, model, domain, year, requested, closed):
        """Cases open at the end of each year, per coordinator, counted on
        ``model`` (the cases or their monthly rows) by its fields of the
        date (or month) ``requested`` and ``closed``; on the first of
        January a month is before the end of the year as its days are."""
        values = defaultdict(lambda: [[0], [0]])
        for index, end in enumerate((date(year, 1, 1), date(year + 1, 1, 1))):
            for company, coordinator, count in self.env[model]._read_group(
                [
                    *domain,
                    ("state", "in", ("active", "closed")),
                    (requested, "<", end),
                    "|",
                    (closed, "=", False),
                    (closed, ">=", end),
                ],
                ["company_id", "coordinator_id"],
                ["__count"],
            ):
                values[(company.id, coordinator)][index] = [count]
        return values

    @staticmethod
    def _scoped(values, company_ids):
        """``values`` of the organisations ``company_ids`` summed:
        {keys: [aggregates the year before, aggregates of the year]}."""
        scoped = {}
        for (company_id, *keys), years in values.items():
            if company_id not in company_ids:
                continue
            total = scoped.setdefault(
                tuple(keys), [[0] * len(years[0]), [0] * len(years[1])]
            )
            for index, aggregates in enumerate(years):
                for position, value in enumerate(aggregates):
                    total[index][position] += value
        return scoped

    # -- rows -------------------------------------------------------------

    @staticmethod
    def _counts(values, position=0):
        """{keys: [count the year before, count of the year]}."""
        return {
            keys: [prev[position], cur[position]]
            for keys, (prev, cur) in values.items()
            if prev[position] or cur[position]
        }

    @staticmethod
    def _total(values, position=0):
        """The aggregate at ``position`` summed over all keys, per year."""
        return [
            sum(years[index][position] for years in values.values()) for index in (0, 1)
        ]

    @staticmethod
    def _mean(values, position):
        """The average of a field per year from its sum (at ``position``) and
        the count of its values (at ``position`` + 1), over all keys."""
        means = []
        for index in (0, 1):
            total = sum(years[index][position] for years in values.values())
            count = sum(years[index][position + 1] for years in values.values())
            # Decimal, as PostgreSQL's AVG of an integer: rounds the same.
            means.append(Decimal(total) / count if count else 0)
        return means

    def _average(self, value):
        """One decimal, as the reader writes it (2,5 in Dutch and French)."""
        if not value:
            return NONE
        point = self.env["res.lang"]._get_data(code=self.env.lang).decimal_point
        return f"{value:.1f}".replace(".", point or ".")

    def _labelled_rows(self, values, label_of):
        return [
            (label_of(key), str(prev), str(cur))
            for key, (prev, cur) in sorted(
                values.items(), key=lambda item: str(label_of(item[0]))
            )
        ]

    def _selection(self, model, field):
        return dict(self.env[model]._fields[field]._description_selection(self.env))

    def _request_rows(self, received, decided):
        channels = self._selection("lco.request", "channel")
        states = self._selection("lco.request", "state")
        prev, cur = self._total(received)
        decisions = self._counts(
            {keys: years for keys, years in decided.items() if keys[0] in DECIDED}
        )
        days = self._mean(decided, 1)
        return [
            (self.env._("Requests received"), str(prev), str(cur)),
            *self._labelled_rows(
                self._counts(received),
                lambda key: self.env._("Received by %s", channels[key[0]]),
            ),
            *self._labelled_rows(decisions, lambda key: states[key[0]]),
            (
                self.env._("Days from request to decision"),
                self._average(days[0]),
                self._average(days[1]),
            ),
        ]

    def _case_rows(self, opened, closed, first_meeting, open_per_coordinator):
        opened, closed_total = self._total(opened), self._total(closed)
        first, to_close = self._mean(first_meeting, 0), self._mean(closed, 1)
        meetings = self._mean(closed, 3)
        return [
            (self.env._("Cases opened"), str(opened[0]), str(opened[1])),
            (self.env._("Cases closed"), str(closed_total[0]), str(closed_total[1])),
            *self._labelled_rows(
                self._counts(closed),
                lambda key: self.env._(
                    "Closed: %s", key[0].name or self.env._("no reason")
                ),
            ),
            (
                self.env._("Days from request to first meeting"),
                self._average(first[0]),
                self._average(first[1]),
            ),
            (
                self.env._("Days from request to closing"),
                self._average(to_close[0]),
                self._average(to_close[1]),
            ),
            (
                self.env._("Meetings held per closed case"),
                self._average(meetings[0]),
                self._average(meetings[1]),
            ),
            # The cases still open on 31 December, then how they are spread
            # over the coordinators (a total, then its parts: no name after a
            # colon as if it were a figure).
            (
                self.env._("Cases still open at the end of the year"),
                *map(str, self._total(open_per_coordinator)),
            ),
            *self._labelled_rows(
                self._counts(open_per_coordinator),
                lambda key: self.env._("… of which coordinated by %s", key[0].name),
            ),
        ]

    def _meeting_rows(self, held, attendance):
        kinds = self._selection("lco.meeting", "kind")
        roles = self._selection("lco.participant", "role")
        prev, cur = self._total(held)
        present = defaultdict(lambda: [0, 0])
        invited = defaultdict(lambda: [0, 0])
        for (role, status), years in attendance.items():
            for index in (0, 1):
                invited[role][index] += years[index][0]
                if status == "present":
                    present[role][index] += years[index][0]

        def share(role, index):
            total = invited[role][index]
            return f"{100 * present[role][index] / total:.0f} %" if total else NONE

        return [
            (self.env._("Meetings held"), str(prev), str(cur)),
            *self._labelled_rows(
                self._counts(held),
                lambda key: kinds.get(key[0], self.env._("Other")),
            ),
            *[
                (
                    self.env._("Present: %s", roles.get(role, role)),
                    share(role, 0),
                    share(role, 1),
                )
                for role in sorted(invited, key=lambda r: (r != "client", r))
            ],
        ]

    def _network_rows(self, network):
        """The share of the meetings held with someone of the network present."""
        held = self._total(network)
        present = [
            sum(years[index][0] for keys, years in network.items() if keys[0])
            for index in (0, 1)
        ]
        return [
            (
                self.env._("Meetings with the network present"),
                *(
                    f"{100 * present[index] / held[index]:.0f} %"
                    if held[index]
                    else NONE
                    for index in (0, 1)
                ),
            )
        ]

    def _agreement_rows(self, agreements):
        states = self._selection("lco.agreement", "state")
        no_domain = self.env._("No life domain")
        return self._labelled_rows(
            self._counts(agreements),
            lambda key: f"{key[0].name or no_domain} · {states[key[1]]}",
        )

    def _bottleneck_rows(self, bottlenecks):
        kinds = self._selection("lco.bottleneck", "kind")
        per_kind = defaultdict(lambda: [0, 0])
        for (bottleneck,), (prev, cur) in self._counts(bottlenecks).items():
            per_kind[(bottleneck.kind,)][0] += prev
            per_kind[(bottleneck.kind,)][1] += cur
        return self._labelled_rows(per_kind, lambda key: kinds[key[0]])
