from collections import defaultdict
from datetime import date, datetime, time

from odoo import api, models
from odoo.exceptions import AccessError

HELD = ("held", "reported")
# Shown where there is nothing to count.
NONE = "—"


class ReportLcoYearlyFigures(models.AbstractModel):
    """The figures of a calendar year beside those of the year before, per
    organisation (and for all of them together): requests, cases, meetings,
    attendance, agreements and bottlenecks. Counted as the user who prints
    it: his record rules decide what is counted."""

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
        lang = self.env.user.lang or self.env.context.get("lang")
        report = self.with_context(lang=lang)
        scopes = [(company.name, company) for company in companies]
        if len(companies) > 1:
            scopes.append((report.env._("All organisations together"), companies))
        return {
            "doc_ids": wizard.ids,
            "doc_model": wizard._name,
            "docs": wizard,
            "year": year,
            "scopes": [(name, report._sections(scope, year)) for name, scope in scopes],
            "report_lang": lang,
        }

    def _sections(self, companies, year):
        """[(title, [(label, value of the year before, value of the year)])]."""
        return [
            (self.env._("Requests"), self._request_rows(companies, year)),
            (self.env._("Cases"), self._case_rows(companies, year)),
            (
                self.env._("Meetings and attendance"),
                self._meeting_rows(companies, year),
            ),
            (
                self.env._("Agreements per life domain"),
                self._agreement_rows(companies, year),
            ),
            (self.env._("Bottlenecks met"), self._bottleneck_rows(companies, year)),
        ]

    def _per_year(self, model, domain, date_field, year, groupby=(), agg="__count"):
        """{groupby values: [value the year before, value of the year]}, in one
        query for both years."""
        field = self.env[model]._fields[date_field]
        bounds = [date(year - 1, 1, 1), date(year + 1, 1, 1)]
        if field.type == "datetime":
            bounds = [datetime.combine(day, time.min) for day in bounds]
        groups = self.env[model]._read_group(
            [
                *domain,
                (date_field, ">=", bounds[0]),
                (date_field, "<", bounds[1]),
            ],
            [f"{date_field}:year", *groupby],
            [agg],
        )
        values = defaultdict(lambda: [0, 0])
        for when, *keys, value in groups:
            values[tuple(keys)][when.year - year + 1] = value or 0
        return values

    @staticmethod
    def _rows(values, label, fmt=str):
        prev, cur = values.get((), [0, 0])
        return [(label, fmt(prev), fmt(cur))]

    @staticmethod
    def _average(value):
        return f"{value:.1f}" if value else NONE

    def _labelled_rows(self, values, label_of):
        return [
            (label_of(key), str(prev), str(cur))
            for key, (prev, cur) in sorted(
                values.items(), key=lambda item: str(label_of(item[0]))
            )
        ]

    def _selection(self, model, field):
        return dict(self.env[model]._fields[field]._description_selection(self.env))

    def _request_rows(self, companies, year):
        domain = [("company_id", "in", companies.ids)]
        channels = self._selection("lco.request", "channel")
        states = self._selection("lco.request", "state")
        received = self._per_year("lco.request", domain, "date_received", year)
        per_channel = self._per_year(
            "lco.request", domain, "date_received", year, ["channel"]
        )
        decided = self._per_year(
            "lco.request",
            [*domain, ("state", "in", ("accepted", "declined", "redirected"))],
            "date_decided",
            year,
            ["state"],
        )
        days = self._per_year(
            "lco.request", domain, "date_decided", year, agg="days_to_decision:avg"
        )
        return [
            *self._rows(received, self.env._("Requests received")),
            *self._labelled_rows(
                per_channel, lambda key: self.env._("Received by %s", channels[key[0]])
            ),
            *self._labelled_rows(decided, lambda key: states[key[0]]),
            *self._rows(
                days, self.env._("Days from request to decision"), self._average
            ),
        ]

    def _case_rows(self, companies, year):
        domain = [("company_id", "in", companies.ids)]
        closed = [*domain, ("state", "=", "closed")]
        rows = [
            *self._rows(
                self._per_year("lco.case", domain, "date_requested", year),
                self.env._("Cases opened"),
            ),
            *self._rows(
                self._per_year("lco.case", closed, "date_closed", year),
                self.env._("Cases closed"),
            ),
            *self._labelled_rows(
                self._per_year(
                    "lco.case", closed, "date_closed", year, ["close_reason_id"]
                ),
                lambda key: self.env._(
                    "Closed: %s", key[0].name or self.env._("no reason")
                ),
            ),
            *self._rows(
                self._per_year(
                    "lco.case",
                    domain,
                    "date_first_meeting",
                    year,
                    agg="days_to_first_meeting:avg",
                ),
                self.env._("Days from request to first meeting"),
                self._average,
            ),
            *self._rows(
                self._per_year(
                    "lco.case", closed, "date_closed", year, agg="days_to_close:avg"
                ),
                self.env._("Days from request to closing"),
                self._average,
            ),
            *self._rows(
                self._per_year(
                    "lco.case",
                    closed,
                    "date_closed",
                    year,
                    agg="held_meeting_count:avg",
                ),
                self.env._("Meetings held per closed case"),
                self._average,
            ),
        ]
        open_per_coordinator = defaultdict(lambda: [0, 0])
        for index, end in enumerate((date(year, 1, 1), date(year + 1, 1, 1))):
            for coordinator, count in self.env["lco.case"]._read_group(
                [
                    *domain,
                    ("state", "in", ("active", "closed")),
                    ("date_requested", "<", end),
                    "|",
                    ("date_closed", "=", False),
                    ("date_closed", ">=", end),
                ],
                ["coordinator_id"],
                ["__count"],
            ):
                open_per_coordinator[(coordinator,)][index] = count
        rows += self._labelled_rows(
            open_per_coordinator,
            lambda key: self.env._("Open at the end of the year: %s", key[0].name),
        )
        return rows

    def _meeting_rows(self, companies, year):
        domain = [("company_id", "in", companies.ids), ("state", "in", HELD)]
        kinds = self._selection("lco.meeting", "kind")
        roles = self._selection("lco.participant", "role")
        rows = [
            *self._rows(
                self._per_year("lco.meeting", domain, "start", year),
                self.env._("Meetings held"),
            ),
            *self._labelled_rows(
                self._per_year("lco.meeting", domain, "start", year, ["kind"]),
                lambda key: kinds.get(key[0], self.env._("Other")),
            ),
        ]
        present = defaultdict(lambda: [0, 0])
        invited = defaultdict(lambda: [0, 0])
        for index, first in enumerate((year - 1, year)):
            for role, status, count in self.env["lco.meeting.attendee"]._read_group(
                [
                    ("meeting_id.company_id", "in", companies.ids),
                    ("meeting_id.state", "in", HELD),
                    ("meeting_id.start", ">=", datetime(first, 1, 1)),
                    ("meeting_id.start", "<", datetime(first + 1, 1, 1)),
                ],
                ["role", "status"],
                ["__count"],
            ):
                invited[role][index] += count
                if status == "present":
                    present[role][index] += count

        def share(role, index):
            total = invited[role][index]
            return f"{100 * present[role][index] / total:.0f} %" if total else NONE

        rows += [
            (
                self.env._("Present: %s", roles.get(role, role)),
                share(role, 0),
                share(role, 1),
            )
            for role in sorted(invited, key=lambda r: (r != "client", r))
        ]
        return rows

    def _agreement_rows(self, companies, year):
        states = self._selection("lco.agreement", "state")
        values = self._per_year(
            "lco.agreement",
            [("company_id", "in", companies.ids)],
            "create_date",
            year,
            ["life_domain_id", "state"],
        )
        return self._labelled_rows(
            values,
            lambda key: (
                f"{key[0].name or self.env._('No life domain')} · {states[key[1]]}"
            ),
        )

    def _bottleneck_rows(self, companies, year):
        kinds = self._selection("lco.bottleneck", "kind")
        values = self._per_year(
            "lco.bottleneck.occurrence",
            [("company_id", "in", companies.ids)],
            "date",
            year,
            ["bottleneck_id"],
        )
        per_kind = defaultdict(lambda: [0, 0])
        for (bottleneck,), (prev, cur) in values.items():
            per_kind[(bottleneck.kind,)][0] += prev
            per_kind[(bottleneck.kind,)][1] += cur
        return self._labelled_rows(per_kind, lambda key: kinds[key[0]])
