from odoo import api, fields, models
from odoo.models import parse_read_group_spec
from odoo.osv import expression
from odoo.tools import SQL

from ..tools.batched import commit_batch
from ..tools.domain import domain_fields, spec_fields


class LcoFigureMonth(models.AbstractModel):
    """The manager's figures read rows counted per organisation and month
    (and the coordinator of the case), not the millions of records behind
    them. The rows are counted again by a cron, every hour, organisation by
    organisation in its own transaction: a figure is at most that old.

    Why a rebuild and not incremental upkeep: what is counted (a status, a
    stored count, a coordinator handed over, an anonymised case, an SQL
    upgrade) changes through many paths; one missed path would leave a
    figure wrong for good, while a rebuild sets it right every hour. Each
    rebuild is one grouped INSERT … SELECT on the organisation's indexes.

    ``__count`` (the pivot's and graph's "Count") is the number of records
    counted, and an average measure is weighted by the records it averages
    (``_figure_averages``), so the figures read as on the records.

    Each organisation also has its totals: the same rows without the people
    (``_figure_people``), flagged ``organisation_total``. A figure that
    neither groups nor filters by a person reads them, for whoever the rules
    let read a whole organisation (see ``_figure_totals_readable``), so a
    manager's figure reads as many rows with 5 coordinators as with 500.
    Every other read (lists, search, counts) sees the rows per person only."""

    _name = "lco.figure.month"
    _description = "Client Consultation Figures per Month"

    company_id = fields.Many2one(
        "res.company",
        "Organisation",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    month = fields.Date(readonly=True, help="The first day of the month counted.")
    coordinator_id = fields.Many2one("res.users", readonly=True, index=True)
    organisation_total = fields.Boolean(readonly=True, index=True)
    # Read as the pivot's own "Count" (__count): no second measure.
    record_count = fields.Integer("Count", readonly=True, aggregator=None)
    refreshed_at = fields.Datetime("Counted On", readonly=True)

    # measure: (column of the total, column of how many it averages)
    _figure_averages = {}
    # The columns that name a person, empty in the organisation's totals.
    _figure_people = ("coordinator_id",)

    def _figure_select(self, company_id):
        """SELECT of the rows of the organisation ``company_id``: one column
        named after each of ``_figure_columns()``, besides ``refreshed_at``."""
        raise NotImplementedError

    def _figure_columns(self):
        return [
            name
            for name, field in self._fields.items()
            if field.store
            and field.column_type
            and name not in ("id", "refreshed_at", "organisation_total")
        ]

    def _figure_totals_select(self, company_id):
        """SELECT of the organisation's totals from its rows per person: the
        people left empty, counts and totals summed, averages weighted."""
        columns = self._figure_columns()
        keys = [
            column
            for column in columns
            if column not in self._figure_people
            and self._fields[column].type not in ("integer", "float")
        ]

        def total(column):
            if column in self._figure_people:
                return SQL("NULL::%s", SQL(self._fields[column].column_type[1]))
            if column in keys:
                return SQL.identifier(column)
            if column in self._figure_averages:
                summed, count = self._figure_averages[column]
                return SQL(
                    "SUM(%s)::float / NULLIF(SUM(%s), 0)",
                    SQL.identifier(summed),
                    SQL.identifier(count),
                )
            return SQL("SUM(%s)", SQL.identifier(column))

        return SQL(
            "SELECT %s FROM %s WHERE company_id = %s AND organisation_total IS NOT TRUE GROUP BY %s",
            SQL(", ").join(
                SQL("%s AS %s", total(column), SQL.identifier(column))
                for column in columns
            ),
            SQL.identifier(self._table),
            company_id,
            SQL(", ").join(SQL.identifier(column) for column in keys),
        )

    def _figure_totals_readable(self):
        """Whether the user's rules let him read an organisation's totals,
        that is all its rows: a manager, or a coordinator for a figure no
        rule limits to his own cases (requests). Asked of the rules
        themselves, in Python: no query."""
        rules = self.env["ir.rule"]._compute_domain(self._name, "read")
        if not rules:
            return True
        totals = self.new(
            {"organisation_total": True, "company_id": self.env.company.id}
        )
        return bool(totals.filtered_domain(rules))

    @api.model
    def _search(self, domain, *args, **kwargs):
        if "organisation_total" not in domain_fields(domain):
            domain = expression.AND([domain, [("organisation_total", "=", False)]])
        return super()._search(domain, *args, **kwargs)

    @api.model
    def _read_group(
        self,
        domain,
        groupby=(),
        aggregates=(),
        having=(),
        offset=0,
        limit=None,
        order=None,
    ):
        # A figure that names no person (domain, group-bys, aggregates,
        # order) reads the organisation's totals, if the user may.
        named = domain_fields([*domain, *having]) | spec_fields(
            [*groupby, *aggregates, *(order or "").split(",")]
        )
        totals = (
            named.isdisjoint(self._figure_people) and self._figure_totals_readable()
        )
        domain = expression.AND([domain, [("organisation_total", "=", totals)]])
        return super()._read_group(
            domain, groupby, aggregates, having, offset, limit, order
        )

    @api.model
    def _figure_source_selection(self, model, fname):
        """The values of a status or role as the source records list them,
        translated as theirs."""
        return self.env[model]._fields[fname]._description_selection(self.env)

    def _read_group_orderby(self, order, groupby_terms, query):
        """Statuses and roles in the order of the work, as on the records
        (models/base.py does it for selections written out as a list)."""
        groupby_terms = dict(groupby_terms)
        for spec, sql_expr in groupby_terms.items():
            field = self._fields.get(spec)
            if field and field.type == "selection":
                values = field.get_values(self.env)
                groupby_terms[spec] = SQL(
                    "CASE %s %s END",
                    sql_expr,
                    SQL(" ").join(
                        SQL("WHEN %s THEN %s", value, index)
                        for index, value in enumerate(values)
                    ),
                )
        return super()._read_group_orderby(order, groupby_terms, query)

    def _read_group_select(self, aggregate_spec, query):
        if aggregate_spec == "__count":
            return SQL(
                "COALESCE(SUM(%s), 0)", SQL.identifier(self._table, "record_count")
            )
        fname, _property, func = parse_read_group_spec(aggregate_spec)
        if func == "avg" and fname in self._figure_averages:
            # Checks the field is readable, as super() does.
            super()._read_group_select(aggregate_spec, query)
            total, count = self._figure_averages[fname]
            return SQL(
                "SUM(%s)::float / NULLIF(SUM(%s), 0)",
                SQL.identifier(self._table, total),
                SQL.identifier(self._table, count),
            )
        return super()._read_group_select(aggregate_spec, query)

    def _refresh(self, company_ids):
        """Count the rows of the organisations ``company_ids`` again."""
        self.env.flush_all()
        for company_id in company_ids:
            # SQL: the system counts every record of the organisation; who
            # reads the rows is limited by their own rules (company,
            # coordinator).
            self.env.cr.execute(
                SQL(
                    "DELETE FROM %s WHERE company_id = %s",
                    SQL.identifier(self._table),
                    company_id,
                )
            )
            self._figure_insert(self._figure_select(company_id), False)
            self._figure_insert(self._figure_totals_select(company_id), True)
        self.invalidate_model()

    def _figure_insert(self, select, organisation_total):
        names = SQL(", ").join(
            SQL.identifier(column) for column in self._figure_columns()
        )
        self.env.cr.execute(
            SQL(
                "INSERT INTO %s (%s, organisation_total, refreshed_at)"
                " SELECT %s, %s, %s FROM (%s) AS counted",
                SQL.identifier(self._table),
                names,
                names,
                organisation_total,
                fields.Datetime.now(),
                select,
            )
        )

    @api.model
    def _figure_models(self):
        return [
            self.env[name]
            for name in sorted(self.env.registry.descendants([self._name], "_inherit"))
            if not self.env[name]._abstract
        ]

    @api.model
    def _cron_refresh(self):
        """Every figure of every organisation, one (figure, organisation) a
        batch, each committed with its progress reported."""
        # Every organisation: a handful of rows.
        companies = self.env["res.company"].sudo().search([], order="id").ids  # pylint: disable=no-search-all
        batches = [
            (model, company) for model in self._figure_models() for company in companies
        ]
        for done, (model, company) in enumerate(batches, start=1):
            model._refresh([company])
            commit_batch(self.env, done, len(batches) - done)
